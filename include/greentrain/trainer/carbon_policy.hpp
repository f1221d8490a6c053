#pragma once
// Carbon awareness between batches: pause while the grid is dirtier than a threshold or outside
// allowed hours (the trainer checkpoints before it waits), and multiply in bf16 while intensity is
// high. Time comes from an injectable clock so a policy can be tested against a recorded trace.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "greentrain/intensity/provider.hpp"
#include "greentrain/trainer/precision.hpp"

namespace greentrain::trainer {

class PolicyClock {
 public:
  virtual ~PolicyClock() = default;
  virtual SystemTime now() = 0;
  virtual void sleep_until(SystemTime time) = 0;
};

std::shared_ptr<PolicyClock> system_policy_clock();

// Hours of the day in UTC when training may run: [start_hour, end_hour), wrapping past midnight
// when start_hour > end_hour (22 -> 6 is the night).
struct AllowedHours {
  int start_hour = 0;
  int end_hour = 24;
  bool contains(SystemTime time) const;
};

struct CarbonPolicyOptions {
  std::shared_ptr<IntensityProvider> provider;  // required when a threshold is set
  Location location;
  std::optional<GramsPerKwh> pause_above;
  std::optional<GramsPerKwh> bf16_above;  // ignored (with an event) on CPUs without bf16
  std::optional<AllowedHours> allowed_hours;
  std::chrono::seconds poll_interval{std::chrono::minutes(5)};  // how often intensity is re-read
  std::optional<SystemTime> resume_by;  // a pause never lasts past this: the run must finish
  std::shared_ptr<PolicyClock> clock;   // default: the system clock
};

struct PolicyEvent {
  enum class Kind { pause, resume, to_bf16, to_fp32, intensity_unavailable };
  Kind kind;
  SystemTime at;
  std::optional<GramsPerKwh> intensity;
  std::string reason;
};

// "2020-01-01T05:00Z pause: intensity 412 g/kWh above 300 g/kWh"
std::string describe(const PolicyEvent& event);

class CarbonPolicy {
 public:
  // Throws greentrain::error(invalid_argument) for a threshold without a provider.
  explicit CarbonPolicy(CarbonPolicyOptions options);

  // Called before each batch: returns when training may go on, and the precision to multiply in.
  // `on_pause` runs once as each pause begins. A provider failure never stops training: it is
  // logged as an event and the batch runs.
  Precision before_batch(Precision configured, const std::function<void()>& on_pause);

  const std::vector<PolicyEvent>& events() const { return events_; }
  std::size_t pauses() const;

 private:
  std::optional<GramsPerKwh> intensity(SystemTime now);

  CarbonPolicyOptions options_;
  std::vector<PolicyEvent> events_;
  std::optional<GramsPerKwh> last_intensity_;
  std::optional<SystemTime> next_reading_;
  bool paused_ = false;
  bool reported_failure_ = false;
  Precision last_precision_ = Precision::fp32;
  bool started_ = false;
};

}  // namespace greentrain::trainer
