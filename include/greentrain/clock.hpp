#pragma once
// Time for the tracker: the system's clocks in a run, a fake one in tests, so that the sampling
// pace, late samples, intensity refreshes and budget alerts are tested without waiting.
#include <chrono>
#include <memory>
#include <stop_token>

namespace greentrain {

using SystemTime = std::chrono::system_clock::time_point;
using SteadyTime = std::chrono::steady_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  // The calendar: timestamps of samples and rows, validity of intensity readings.
  virtual SystemTime now() = 0;
  // Lengths of intervals: never jumps when the calendar is set.
  virtual SteadyTime steady_now() = 0;
  // Returns once steady_now() reached `time` or `stop` was requested.
  virtual void sleep_until(SteadyTime time, std::stop_token stop) = 0;
};

// std::chrono's system_clock and steady_clock.
std::shared_ptr<Clock> system_clock();

}  // namespace greentrain
