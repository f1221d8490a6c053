#pragma once
// A clock the test moves: sleepers wake when it passes their time, and the test can wait until a
// sleeper has gone back to sleep, which means it finished the work that came before.
#include <condition_variable>
#include <mutex>

#include "greentrain/clock.hpp"

namespace greentrain::test {

class FakeClock final : public Clock {
 public:
  SystemTime now() override {
    std::lock_guard lock(mutex_);
    return system_;
  }
  SteadyTime steady_now() override {
    std::lock_guard lock(mutex_);
    return steady_;
  }
  void sleep_until(SteadyTime time, std::stop_token stop) override {
    std::unique_lock lock(mutex_);
    ++sleeps_;
    last_wake_ = time;
    changed_.notify_all();
    changed_.wait(lock, stop, [&] { return steady_ >= time; });
  }

  void advance(std::chrono::nanoseconds by) {
    std::lock_guard lock(mutex_);
    steady_ += by;
    system_ += std::chrono::duration_cast<SystemTime::duration>(by);
    changed_.notify_all();
  }

  // Waits until sleep_until() was entered `count` times; returns how far after the start that
  // sleep is meant to last.
  std::chrono::nanoseconds wait_for_sleep(int count) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return sleeps_ >= count; });
    return last_wake_ - SteadyTime{};
  }

  SystemTime start() const { return SystemTime{} + std::chrono::hours(24 * 365 * 50); }

 private:
  std::mutex mutex_;
  std::condition_variable_any changed_;
  SteadyTime steady_{};
  SystemTime system_ = start();
  SteadyTime last_wake_{};
  int sleeps_ = 0;
};

}  // namespace greentrain::test
