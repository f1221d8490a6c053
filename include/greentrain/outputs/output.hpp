#pragma once
// Outputs receive the run's figures when the tracker flushes or stops. Like spdlog's sinks, the
// public call is non-virtual and never throws; a failure goes to the error code.
#include <span>
#include <string_view>
#include <system_error>

#include "greentrain/emissions.hpp"

namespace greentrain {

class Output {
 public:
  virtual ~Output() = default;

  virtual std::string_view name() const noexcept = 0;

  // `run` holds the totals so far; `new_tasks` the tasks that ended since the last write.
  virtual void write(const RunResult& run, std::span<const Emissions> new_tasks,
                     std::error_code& ec) noexcept = 0;
};

}  // namespace greentrain
