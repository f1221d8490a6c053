#include "greentrain/outputs/callback.hpp"

#include "greentrain/error.hpp"

namespace greentrain {

void CallbackOutput::write_run(const RunResult& run, std::span<const Emissions> new_tasks,
                               std::error_code&) {
  function_(run, new_tasks);  // what it throws, Output::write turns into the error code
}

}  // namespace greentrain
