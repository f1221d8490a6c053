#include "greentrain/outputs/callback.hpp"

#include "greentrain/error.hpp"

namespace greentrain {

void CallbackOutput::write(const RunResult& run, std::span<const Emissions> new_tasks,
                           std::error_code& ec) noexcept {
  try {
    function_(run, new_tasks);
  } catch (...) {
    ec = errc::io_error;
  }
}

}  // namespace greentrain
