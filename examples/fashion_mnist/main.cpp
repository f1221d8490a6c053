// Train an MLP on Fashion-MNIST with the CpuTrainer under an EmissionsTracker, one task per epoch.
//   example_fashion_mnist [DATA_DIR] [EPOCHS] [OUTPUT_DIR]
#include <cstdio>
#include <string>

#include "greentrain/summary.hpp"
#include "greentrain/tracker.hpp"
#include "greentrain/trainer/cpu_trainer.hpp"
#include "greentrain/trainer/idx_reader.hpp"
#include "greentrain/trainer/tracked_training.hpp"

using namespace greentrain;
using namespace greentrain::trainer;

// Prints each epoch with the figures the tracker took for it.
class EpochLog : public TrainingObserver {
 public:
  const TrackedTraining* tracked = nullptr;

  void on_epoch_end(const EpochSummary& s) override {
    const Emissions& e = tracked->epochs().back();
    std::printf("epoch %zu: loss %.4f, %.0f samples/s, %.0f J, %.3g g CO2e\n", s.epoch + 1,
                s.train_loss, s.samples_per_s, to_joules(e.energy).value, e.emissions.value);
  }
};

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : "/usr/share/datasets/fashion-mnist";
  std::size_t epochs = argc > 2 ? std::stoul(argv[2]) : 10;
  std::string output_dir = argc > 3 ? argv[3] : ".";

  Dataset train = load_mnist_format(dir, MnistPart::train);
  Dataset test = load_mnist_format(dir, MnistPart::test);
  Normalisation pixels = fit_normalisation(train, 1.0f / 255.0f);
  normalise(train, pixels);
  normalise(test, pixels);

  TrainerConfig config;
  config.model = {train.feature_count, parse_hidden_layers("1024,1024", Activation::relu), 10};
  config.optimizer = {OptimizerKind::sgd_momentum, 0.05, 0.9, 0.9, 0.999, 1e-8, 5e-4};
  config.schedule.kind = ScheduleKind::cosine;
  config.epochs = epochs;
  CpuTrainer trainer(config);

  EmissionsTracker tracker{{.project = "fashion-mnist", .output_dir = output_dir, .zone = "FR"}};
  EpochLog log;
  TrackedTraining tracked(tracker, &log);  // one task per epoch, then the log sees the epoch
  log.tracked = &tracked;
  trainer.fit(train, {}, &tracked);
  Evaluation result = trainer.evaluate(test);
  std::printf("test accuracy %.4f\n%s\n", result.accuracy, summary(tracker.stop()).c_str());
  return 0;
}
