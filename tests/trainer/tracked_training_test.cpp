#include "greentrain/trainer/tracked_training.hpp"

#include <catch2/catch.hpp>

#include "greentrain/trainer/cpu_trainer.hpp"
#include "support/fake_sensor.hpp"
#include "support/temp_dir.hpp"
#include "trainer/synthetic_data.hpp"

using namespace greentrain;
using namespace greentrain::trainer;

namespace {

// Adds energy to a fake package counter at every batch, as a busy CPU would.
class BurnsEnergy : public TrainingObserver {
 public:
  explicit BurnsEnergy(std::shared_ptr<test::FakeSensor::Control> counter) : counter_(counter) {}
  void on_batch_end(const BatchProgress&) override {
    std::lock_guard lock(counter_->mutex);
    counter_->value += 10.0;
  }
  void on_epoch_end(const EpochSummary& s) override { energies.push_back(s.energy); }
  std::vector<std::optional<Joules>> energies;

 private:
  std::shared_ptr<test::FakeSensor::Control> counter_;
};

// A tracker on one package counter, sampled only at task edges and on request.
TrackerOptions counter_options(const test::TempDir& dir,
                               std::shared_ptr<test::FakeSensor::Control> counter) {
  TrackerOptions options;
  options.output_dir = dir.path();
  options.interval = std::chrono::hours(1);
  options.discover = [counter] {
    sensors::Discovery d;
    d.selected.push_back(std::make_unique<test::FakeSensor>(
        "package", sensors::Domain::cpu_package, sensors::SignalKind::energy_counter,
        test::measured("package"), counter));
    return d;
  };
  return options;
}

TrainerConfig small_config(std::size_t epochs) {
  TrainerConfig c;
  c.model = {12, {{16, Activation::relu, 0.0f}}, 4};
  c.batch_size = 32;
  c.epochs = epochs;
  c.threads = 1;
  return c;
}

}  // namespace

TEST_CASE("training under a tracker records one task per epoch with its own energy",
          "[trainer][tracker]") {
  test::TempDir dir;
  auto counter = std::make_shared<test::FakeSensor::Control>();
  TrackerOptions options = counter_options(dir, counter);
  options.zone = "FR";
  EmissionsTracker tracker(options);
  BurnsEnergy burner(counter);
  TrackedTraining tracked(tracker, &burner);

  TrainerConfig c = small_config(3);
  Dataset train = testing::clusters(256, 12, 4, 7);
  CpuTrainer trainer(c);
  trainer.fit(train, {}, &tracked);

  REQUIRE(tracked.epochs().size() == 3);
  double batches = static_cast<double>(train.size() / c.batch_size);  // 256 / 32, no remainder
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(tracked.epochs()[i].task == "epoch-" + std::to_string(i + 1));
    CHECK(to_joules(tracked.epochs()[i].cpu.energy).value == Approx(10.0 * batches));
  }
  REQUIRE(burner.energies.size() == 3);
  REQUIRE(burner.energies[2]);
  CHECK(burner.energies[2]->value == Approx(30.0 * batches));  // cumulative, from the tracker
  CHECK(tracker.stop().tasks.size() == 3);
}

namespace {

// 0.01 kWh per batch, sampled at once: at 100 g/kWh each batch emits 1 g.
class BurnsAndSamples : public TrainingObserver {
 public:
  BurnsAndSamples(std::shared_ptr<test::FakeSensor::Control> counter, EmissionsTracker& tracker)
      : counter_(counter), tracker_(tracker) {}
  void on_batch_end(const BatchProgress&) override {
    {
      std::lock_guard lock(counter_->mutex);
      counter_->value += 36000.0;
    }
    tracker_.snapshot();
    ++batches;
  }
  std::size_t batches = 0;

 private:
  std::shared_ptr<test::FakeSensor::Control> counter_;
  EmissionsTracker& tracker_;
};

}  // namespace

TEST_CASE("a spent carbon budget stops training after that batch, and it resumes from there",
          "[trainer][tracker][budget]") {
  test::TempDir dir;
  auto counter = std::make_shared<test::FakeSensor::Control>();
  TrackerOptions options = counter_options(dir, counter);
  options.intensity = GramsPerKwh{100};
  options.budget = CarbonBudget{.run = GramsCo2e{2.5}, .request_stop = true};
  EmissionsTracker tracker(options);
  BurnsAndSamples burner(counter, tracker);
  TrackedTraining tracked(tracker, &burner);

  TrainerConfig c = small_config(2);
  Dataset train = testing::clusters(256, 12, 4, 7);  // 8 batches an epoch
  CpuTrainer trainer(c);
  trainer.fit(train, {}, &tracked);

  CHECK(burner.batches == 3);  // 3 g spent after the third batch
  CHECK(trainer.step() == 3);
  CHECK(trainer.epoch() == 0);
  REQUIRE(tracked.epochs().size() == 1);
  tracker.stop();

  // The same run without a budget, checkpointed at the same place, ends with the same weights.
  trainer.save_checkpoint(dir / "stopped.gtckpt");
  CpuTrainer resumed(c);
  resumed.load_checkpoint(dir / "stopped.gtckpt");
  resumed.fit(train, {});
  CpuTrainer uninterrupted(c);
  uninterrupted.fit(train, {});
  CHECK(resumed.step() == 16);
  auto a = resumed.parameters();
  auto b = uninterrupted.parameters();
  REQUIRE(a.size() == b.size());
  CHECK(std::equal(a.begin(), a.end(), b.begin()));
}
