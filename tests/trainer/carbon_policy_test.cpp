#include "greentrain/trainer/carbon_policy.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

#include "greentrain/trainer/cpu_trainer.hpp"
#include "trainer/synthetic_data.hpp"
#include "trainer/trace_provider.hpp"
#include "support/skip.hpp"

using namespace greentrain;
using namespace greentrain::trainer;
using testing::utc;
using Catch::Matchers::Contains;
using namespace std::chrono_literals;

namespace {

const std::string gb_trace = std::string(GREENTRAIN_SOURCE_DIR) + "/data/traces/gb-2020-halfhourly.csv";

// Each batch takes five simulated minutes and one watt-hour; emissions follow the trace.
class SimulatedRun : public TrainingObserver {
 public:
  SimulatedRun(testing::FakeClock& clock, testing::TraceProvider& trace) : clock_(clock), trace_(trace) {}
  void on_batch_end(const BatchProgress&) override {
    ProviderFault fault;
    grams +=
        trace_.intensity_at(Location::zone("GB"), clock_.now(), fault).intensity.value / 1000.0;
    clock_.advance(5min);
    ++batches;
  }
  double grams = 0.0;
  std::size_t batches = 0;

 private:
  testing::FakeClock& clock_;
  testing::TraceProvider& trace_;
};

TrainerConfig small_config() {
  TrainerConfig c;
  c.model = {12, {{32, Activation::relu, 0.0f}}, 4};
  c.batch_size = 32;
  c.epochs = 3;
  c.threads = 2;
  c.seed = 9;
  return c;
}

struct RunOutcome {
  double grams;
  std::size_t batches;
  std::vector<PolicyEvent> events;
  SystemTime finished;
};

// 2020-01-15 on the GB grid: about 220 g/kWh from 16:00, below 200 from 21:00 into the night.
const SystemTime evening_peak = utc(2020, 1, 15, 16);

RunOutcome run_on_trace(std::optional<CarbonPolicyOptions> policy_options) {
  testing::TraceProvider trace(gb_trace);
  auto clock = std::make_shared<testing::FakeClock>(evening_peak);
  auto config = small_config();
  std::shared_ptr<CarbonPolicy> policy;
  if (policy_options) {
    policy_options->clock = clock;
    policy_options->provider = std::shared_ptr<IntensityProvider>(&trace, [](auto*) {});
    policy = std::make_shared<CarbonPolicy>(*policy_options);
    config.carbon_policy = policy;
  }
  SimulatedRun run(*clock, trace);
  CpuTrainer trainer(config);
  trainer.fit(testing::clusters(640, 12, 4, 1), {}, &run);
  return {run.grams, run.batches, policy ? policy->events() : std::vector<PolicyEvent>{}, clock->now()};
}

}  // namespace

TEST_CASE("pausing above a threshold lowers a run's emissions on the GB trace", "[trainer][policy]") {
  auto baseline = run_on_trace(std::nullopt);
  CarbonPolicyOptions options;
  options.location = Location::zone("GB");
  options.pause_above = GramsPerKwh{200};
  options.poll_interval = 30min;
  auto with_policy = run_on_trace(options);

  CHECK(with_policy.batches == baseline.batches);  // the same work is done
  CHECK(with_policy.grams < 0.9 * baseline.grams);
  REQUIRE_FALSE(with_policy.events.empty());
  CHECK(with_policy.events.front().kind == PolicyEvent::Kind::pause);
  CHECK_THAT(describe(with_policy.events.front()),
             Contains("2020-01-15T16:00Z pause: intensity") && Contains("above 200 g/kWh"));
  CHECK(with_policy.events[1].kind == PolicyEvent::Kind::resume);
  CHECK(with_policy.finished > baseline.finished);  // it waited
}

TEST_CASE("a deadline ends a pause even while the grid stays dirty", "[trainer][policy]") {
  CarbonPolicyOptions options;
  options.location = Location::zone("GB");
  options.pause_above = GramsPerKwh{1};  // always above
  options.resume_by = utc(2020, 1, 15, 18);
  auto outcome = run_on_trace(options);
  REQUIRE(outcome.events.size() == 2);
  CHECK(outcome.events[1].kind == PolicyEvent::Kind::resume);
  CHECK(outcome.events[1].at == utc(2020, 1, 15, 18));
  CHECK_THAT(outcome.events[1].reason, Contains("deadline"));
}

TEST_CASE("training waits for the allowed hours", "[trainer][policy]") {
  CarbonPolicyOptions options;
  options.allowed_hours = AllowedHours{22, 6};
  options.poll_interval = 15min;
  auto outcome = run_on_trace(options);
  REQUIRE_FALSE(outcome.events.empty());
  CHECK_THAT(outcome.events[0].reason, Contains("outside the allowed hours 22-06 UTC"));
  CHECK(outcome.events[1].at == utc(2020, 1, 15, 22));
}

TEST_CASE("allowed hours wrap past midnight", "[trainer][policy]") {
  AllowedHours night{22, 6};
  CHECK(night.contains(utc(2020, 1, 1, 23, 59)));
  CHECK(night.contains(utc(2020, 1, 2, 5)));
  CHECK_FALSE(night.contains(utc(2020, 1, 2, 6)));
  CHECK_FALSE(night.contains(utc(2020, 1, 2, 12)));
  AllowedHours day{9, 17};
  CHECK(day.contains(utc(2020, 1, 2, 9)));
  CHECK_FALSE(day.contains(utc(2020, 1, 2, 17)));
}

TEST_CASE("a failing provider never stops training and is reported once", "[trainer][policy]") {
  testing::TraceProvider trace(gb_trace);
  CarbonPolicyOptions options;
  options.provider = std::shared_ptr<IntensityProvider>(&trace, [](auto*) {});
  options.pause_above = GramsPerKwh{1};
  options.poll_interval = 0s;
  options.clock = std::make_shared<testing::FakeClock>(utc(1999, 1, 1, 0));  // before the trace
  CarbonPolicy policy(options);
  int pauses = 0;
  for (int i = 0; i < 3; ++i) CHECK(policy.before_batch(Precision::fp32, [&] { ++pauses; }) == Precision::fp32);
  CHECK(pauses == 0);
  REQUIRE(policy.events().size() == 1);
  CHECK(policy.events()[0].kind == PolicyEvent::Kind::intensity_unavailable);
  CHECK(trace.reads == 3);
}

TEST_CASE("high intensity switches the batches to bf16 and back", "[trainer][policy][bf16]") {
  GREENTRAIN_REQUIRE_BF16();
  testing::TraceProvider trace(gb_trace);
  auto clock = std::make_shared<testing::FakeClock>(utc(2020, 1, 15, 0));
  CarbonPolicyOptions options;
  options.provider = std::shared_ptr<IntensityProvider>(&trace, [](auto*) {});
  options.bf16_above = GramsPerKwh{200};
  options.poll_interval = 0s;
  options.clock = clock;
  CarbonPolicy policy(options);
  std::vector<Precision> seen;
  for (int hour = 0; hour < 24; ++hour) {
    seen.push_back(policy.before_batch(Precision::fp32, [] {}));
    clock->advance(1h);
  }
  CHECK(std::count(seen.begin(), seen.end(), Precision::bf16) > 0);
  CHECK(std::count(seen.begin(), seen.end(), Precision::fp32) > 0);
  CHECK(policy.pauses() == 0);
  auto switches = std::count_if(policy.events().begin(), policy.events().end(), [](const auto& e) {
    return e.kind == PolicyEvent::Kind::to_bf16;
  });
  CHECK(switches == 2);  // the morning and the evening peak
}

TEST_CASE("a policy pause writes the checkpoint the run resumes from", "[trainer][policy][checkpoint]") {
  testing::TraceProvider trace(gb_trace);
  auto clock = std::make_shared<testing::FakeClock>(evening_peak);
  CarbonPolicyOptions options;
  options.provider = std::shared_ptr<IntensityProvider>(&trace, [](auto*) {});
  options.location = Location::zone("GB");
  options.pause_above = GramsPerKwh{200};
  options.clock = clock;
  auto file = std::filesystem::temp_directory_path() / "greentrain-policy-pause.gtckpt";
  std::filesystem::remove(file);
  auto config = small_config();
  config.carbon_policy = std::make_shared<CarbonPolicy>(options);
  config.pause_checkpoint = file;
  CpuTrainer trainer(config);
  trainer.train_epoch(testing::clusters(640, 12, 4, 1));
  CHECK(std::filesystem::exists(file));
}

TEST_CASE("a run resumed from a mid-epoch pause checkpoint ends with the same weights", "[trainer][policy][checkpoint]") {
  testing::TraceProvider trace(gb_trace);
  auto clock = std::make_shared<testing::FakeClock>(utc(2020, 1, 15, 13, 30));
  CarbonPolicyOptions options;
  options.provider = std::shared_ptr<IntensityProvider>(&trace, [](auto*) {});
  options.location = Location::zone("GB");
  options.pause_above = GramsPerKwh{200};  // crossed at 16:00, 30 batches in: mid-epoch
  options.clock = clock;
  auto file = std::filesystem::temp_directory_path() / "greentrain-policy-mid-epoch.gtckpt";
  std::filesystem::remove(file);
  auto data = testing::clusters(640, 12, 4, 1);

  auto config = small_config();
  config.carbon_policy = std::make_shared<CarbonPolicy>(options);
  config.pause_checkpoint = file;
  CpuTrainer paused(config);
  SimulatedRun run(*clock, trace);
  paused.fit(data, {}, &run);
  REQUIRE(config.carbon_policy->pauses() == 1);

  CpuTrainer resumed(small_config());
  resumed.load_checkpoint(file);
  CHECK(resumed.step() == 30);
  CHECK(resumed.epoch() == 1);
  resumed.fit(data, {});
  auto a = paused.parameters(), b = resumed.parameters();
  CHECK(std::equal(a.begin(), a.end(), b.begin(), b.end()));
}
