#pragma once
// Outputs receive the run's figures when the tracker flushes or stops. Like spdlog's sinks, the
// public call is non-virtual and never throws: it calls the protected hook that does the work and
// turns whatever the hook throws into the error code, so no output copies that guard.
#include <span>
#include <string>
#include <string_view>
#include <system_error>

#include "greentrain/emissions.hpp"

namespace greentrain {

class Output {
 public:
  virtual ~Output() = default;

  virtual std::string_view name() const noexcept = 0;

  // `run` holds the totals so far; `new_tasks` the tasks that ended since the last write. On a
  // failure `ec` is set and, when given, `reason` says what the hook threw.
  void write(const RunResult& run, std::span<const Emissions> new_tasks, std::error_code& ec,
             std::string* reason = nullptr) noexcept;

 protected:
  // Does the writing: reports a failure through `ec` or by throwing.
  virtual void write_run(const RunResult& run, std::span<const Emissions> new_tasks,
                         std::error_code& ec) = 0;
};

}  // namespace greentrain
