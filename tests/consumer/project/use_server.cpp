// The live server: it starts on a free loopback port beside a tracker and refuses a public
// address without a token.
#include <greentrain/error.hpp>
#include <greentrain/server.hpp>
#include <greentrain/tracker.hpp>

#include <cstdlib>

#include "uses.hpp"

bool use_server(const std::filesystem::path& dir) {
  greentrain::EmissionsTracker tracker{{.project = "consumer-server", .output_dir = dir,
                                        .zone = "FR", .write_csv = false, .write_json = false}};
  greentrain::MetricsServer server(tracker);
  bool listening = server.port() != 0 && server.address() == "127.0.0.1";
  bool refused = false;
  try {
    greentrain::MetricsServer open(tracker, {.address = "0.0.0.0", .token = ""});
  } catch (const greentrain::error&) {
    refused = true;
  }
  return listening && (refused || std::getenv("GREENTRAIN_SERVER_TOKEN") != nullptr);
}
