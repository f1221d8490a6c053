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

}  // namespace

TEST_CASE("training under a tracker records one task per epoch with its own energy",
          "[trainer][tracker]") {
  test::TempDir dir;
  auto counter = std::make_shared<test::FakeSensor::Control>();
  TrackerOptions options;
  options.output_dir = dir.path();
  options.zone = "FR";
  options.interval = std::chrono::hours(1);
  options.discover = [counter] {
    sensors::Discovery d;
    d.selected.push_back(std::make_unique<test::FakeSensor>(
        "package", sensors::Domain::cpu_package, sensors::SignalKind::energy_counter,
        test::measured("package"), counter));
    return d;
  };
  EmissionsTracker tracker(options);
  BurnsEnergy burner(counter);
  TrackedTraining tracked(tracker, &burner);

  TrainerConfig c;
  c.model = {12, {{16, Activation::relu, 0.0f}}, 4};
  c.batch_size = 32;
  c.epochs = 3;
  c.threads = 1;
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
