// Runs the use of every component this consumer was built with; fails if any came out wrong.
#include <cstdio>
#include <filesystem>

#include "uses.hpp"

namespace {

bool report(const char* component, bool ok) {
  std::printf("consumer %s: %s\n", component, ok ? "ok" : "FAILED");
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path dir = argc > 1 ? argv[1] : "consumer-output";
  bool ok = report("tracker", use_tracker(dir));
#ifdef GREENTRAIN_CONSUMER_REGIONS
  ok = report("regions", use_regions()) && ok;
#endif
#ifdef GREENTRAIN_CONSUMER_TRAINER
  ok = report("trainer", use_trainer()) && ok;
#endif
#ifdef GREENTRAIN_CONSUMER_MPI
  ok = report("mpi", use_mpi()) && ok;
#endif
#ifdef GREENTRAIN_CONSUMER_SERVER
  ok = report("server", use_server(dir)) && ok;
#endif
  return ok ? 0 : 1;
}
