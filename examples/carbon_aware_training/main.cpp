// Trains a small MLP under a CarbonPolicy that pauses while the grid emits more than 300 g/kWh.
// The grid here is an evening peak (450 g/kWh from 17:00 to 23:00 UTC, 80 otherwise) and the clock
// is simulated, so the example shows a pause and its resume in a fraction of a second; a real run
// passes a live provider and leaves the clock out.
#include <greentrain/trainer/carbon_policy.hpp>
#include <greentrain/trainer/cpu_trainer.hpp>

#include <chrono>
#include <cstdio>
#include <memory>

namespace gt = greentrain::trainer;
using greentrain::SystemTime;

class EveningPeak : public greentrain::IntensityProvider {
 public:
  std::string_view name() const noexcept override { return "evening peak"; }
  greentrain::IntensityReading intensity_at(const greentrain::Location&, SystemTime at,
                                            greentrain::ProviderFault&) override {
    auto hour = std::chrono::duration_cast<std::chrono::hours>(at.time_since_epoch()).count() % 24;
    greentrain::IntensityReading reading;
    reading.intensity = greentrain::GramsPerKwh{hour >= 17 && hour < 23 ? 450.0 : 80.0};
    reading.provenance = {greentrain::Basis::user, "example evening peak"};
    return reading;
  }
  using IntensityProvider::intensity_at;
};

// Time passes only while the policy waits.
class SimulatedClock : public gt::PolicyClock {
 public:
  explicit SimulatedClock(SystemTime start) : now_(start) {}
  SystemTime now() override { return now_; }
  void sleep_until(SystemTime time) override { now_ = time; }

 private:
  SystemTime now_;
};

gt::Dataset two_classes() {
  gt::Dataset data;
  data.feature_count = 2;
  data.class_count = 2;
  for (int i = 0; i < 512; ++i) {
    float a = static_cast<float>(i % 32) / 16.0f - 1.0f;
    float b = static_cast<float>(i / 32) / 8.0f - 1.0f;
    data.features.insert(data.features.end(), {a, b});
    data.labels.push_back(a * b > 0 ? 1 : 0);
  }
  return data;
}

int main() {
  // 2026-01-05 20:00 UTC: in the middle of the evening peak.
  auto start = SystemTime{std::chrono::sys_days{std::chrono::year{2026} / 1 / 5}} +
               std::chrono::hours(20);
  auto policy = std::make_shared<gt::CarbonPolicy>(gt::CarbonPolicyOptions{
      .provider = std::make_shared<EveningPeak>(),
      .location = greentrain::Location::zone("FR"),
      .pause_above = greentrain::GramsPerKwh{300},
      .clock = std::make_shared<SimulatedClock>(start)});

  gt::TrainerConfig config;
  config.model = {.inputs = 2, .hidden = {{.width = 16}}, .classes = 2};
  config.batch_size = 64;
  config.epochs = 30;
  config.threads = 1;
  config.carbon_policy = policy;
  gt::CpuTrainer trainer{config};
  auto data = two_classes();
  trainer.fit(data, {});

  for (const auto& event : policy->events()) std::puts(gt::describe(event).c_str());
  double accuracy = trainer.evaluate(data).accuracy;
  std::printf("%zu epochs, %zu pause(s), accuracy %.2f\n", trainer.epoch(), policy->pauses(),
              accuracy);
  return policy->pauses() == 1 && accuracy > 0.8 ? 0 : 1;
}
