#include "greentrain/outputs/output.hpp"

#include <new>

#include "greentrain/error.hpp"

namespace greentrain {

void Output::write(const RunResult& run, std::span<const Emissions> new_tasks, std::error_code& ec,
                   std::string* reason) noexcept {
  ec.clear();
  auto explain = [&](const char* text) {
    try {
      if (reason) *reason = text;
    } catch (...) {
      // No memory for the reason: the code alone still says it failed.
    }
  };
  try {
    write_run(run, new_tasks, ec);
  } catch (const std::bad_alloc&) {
    ec = std::make_error_code(std::errc::not_enough_memory);
  } catch (const std::system_error& e) {
    ec = e.code();
    explain(e.what());
  } catch (const std::exception& e) {
    ec = errc::io_error;
    explain(e.what());
  } catch (...) {
    ec = errc::io_error;
    explain("an exception that is not a std::exception");
  }
}

}  // namespace greentrain
