#include "greentrain/trainer/carbon_policy.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "greentrain/error.hpp"

namespace greentrain::trainer {
namespace {

class SystemPolicyClock : public PolicyClock {
 public:
  SystemTime now() override { return std::chrono::system_clock::now(); }
  void sleep_until(SystemTime time) override { std::this_thread::sleep_until(time); }
};

std::string_view kind_name(PolicyEvent::Kind kind) {
  switch (kind) {
    case PolicyEvent::Kind::pause: return "pause";
    case PolicyEvent::Kind::resume: return "resume";
    case PolicyEvent::Kind::to_bf16: return "bf16";
    case PolicyEvent::Kind::to_fp32: return "fp32";
    case PolicyEvent::Kind::intensity_unavailable: return "intensity unavailable";
  }
  return "?";
}

}  // namespace

std::shared_ptr<PolicyClock> system_policy_clock() { return std::make_shared<SystemPolicyClock>(); }

bool AllowedHours::contains(SystemTime time) const {
  auto since_midnight = time - std::chrono::floor<std::chrono::days>(time);
  auto hour = static_cast<int>(std::chrono::duration_cast<std::chrono::hours>(since_midnight).count());
  if (start_hour <= end_hour) return hour >= start_hour && hour < end_hour;
  return hour >= start_hour || hour < end_hour;
}

std::string describe(const PolicyEvent& e) {
  return fmt::format("{:%Y-%m-%dT%H:%MZ} {}: {}",
                     std::chrono::floor<std::chrono::minutes>(e.at), kind_name(e.kind), e.reason);
}

CarbonPolicy::CarbonPolicy(CarbonPolicyOptions options) : options_(std::move(options)) {
  if ((options_.pause_above || options_.bf16_above) && !options_.provider)
    throw error(errc::invalid_argument,
                "a carbon policy with an intensity threshold needs an intensity provider");
  if (options_.allowed_hours &&
      (options_.allowed_hours->start_hour < 0 || options_.allowed_hours->end_hour > 24 ||
       options_.allowed_hours->start_hour == options_.allowed_hours->end_hour))
    throw error(errc::invalid_argument, "allowed hours must be two different hours in 0..24");
  if (!options_.clock) options_.clock = system_policy_clock();
}

std::size_t CarbonPolicy::pauses() const {
  return static_cast<std::size_t>(std::count_if(events_.begin(), events_.end(), [](const auto& e) {
    return e.kind == PolicyEvent::Kind::pause;
  }));
}

std::optional<GramsPerKwh> CarbonPolicy::intensity(SystemTime now) {
  if (!options_.provider) return std::nullopt;
  if (next_reading_ && now < *next_reading_) return last_intensity_;
  next_reading_ = now + options_.poll_interval;
  ProviderFault fault;
  auto reading = options_.provider->intensity_at(options_.location, now, fault);
  if (fault) {
    if (!reported_failure_)
      events_.push_back(
          {PolicyEvent::Kind::intensity_unavailable, now, std::nullopt,
           options_.provider->reason(options_.location, fault) + "; training goes on"});
    reported_failure_ = true;
    return last_intensity_ = std::nullopt;
  }
  reported_failure_ = false;
  return last_intensity_ = reading.intensity;
}

Precision CarbonPolicy::before_batch(Precision configured, const std::function<void()>& on_pause) {
  auto& clock = *options_.clock;
  while (true) {
    SystemTime now = clock.now();
    auto grid = intensity(now);
    std::string blocked;
    if (options_.allowed_hours && !options_.allowed_hours->contains(now))
      blocked = fmt::format("outside the allowed hours {:02}-{:02} UTC",
                            options_.allowed_hours->start_hour, options_.allowed_hours->end_hour);
    else if (options_.pause_above && grid && *grid > *options_.pause_above)
      blocked = fmt::format("intensity {:.0f} g/kWh above {:.0f} g/kWh", grid->value,
                            options_.pause_above->value);
    bool deadline = options_.resume_by && now >= *options_.resume_by;
    if (!blocked.empty() && !deadline) {
      if (!paused_) {
        paused_ = true;
        events_.push_back({PolicyEvent::Kind::pause, now, grid, blocked});
        on_pause();
      }
      SystemTime wake = now + options_.poll_interval;
      if (options_.resume_by) wake = std::min(wake, *options_.resume_by);
      next_reading_.reset();
      clock.sleep_until(wake);
      continue;
    }
    if (paused_) {
      paused_ = false;
      std::string why = blocked.empty()
                            ? (grid ? fmt::format("intensity {:.0f} g/kWh", grid->value)
                                    : std::string("allowed hours"))
                            : "the deadline to finish forces it while " + blocked;
      events_.push_back({PolicyEvent::Kind::resume, now, grid, why});
    }
    Precision precision = configured;
    if (options_.bf16_above && grid && *grid > *options_.bf16_above) {
      if (cpu_supports_bf16()) precision = Precision::bf16;
    }
    if (started_ && precision != last_precision_) {
      bool to_bf16 = precision == Precision::bf16;
      events_.push_back({to_bf16 ? PolicyEvent::Kind::to_bf16 : PolicyEvent::Kind::to_fp32, now,
                         grid,
                         to_bf16 ? fmt::format("intensity {:.0f} g/kWh above {:.0f} g/kWh",
                                               grid->value, options_.bf16_above->value)
                                 : std::string("intensity back below the bf16 threshold")});
    }
    started_ = true;
    last_precision_ = precision;
    return precision;
  }
}

}  // namespace greentrain::trainer
