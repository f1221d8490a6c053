#include "greentrain/clock.hpp"

#include <condition_variable>
#include <mutex>

namespace greentrain {

namespace {

class SystemClock final : public Clock {
 public:
  SystemTime now() override { return std::chrono::system_clock::now(); }
  SteadyTime steady_now() override { return std::chrono::steady_clock::now(); }
  void sleep_until(SteadyTime time, std::stop_token stop) override {
    std::mutex mutex;
    std::condition_variable_any stopped;
    std::unique_lock lock(mutex);
    stopped.wait_until(lock, stop, time, [] { return false; });
  }
};

}  // namespace

std::shared_ptr<Clock> system_clock() {
  static const auto clock = std::make_shared<SystemClock>();
  return clock;
}

}  // namespace greentrain
