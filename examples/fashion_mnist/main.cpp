// Train an MLP on Fashion-MNIST with the CpuTrainer and print the test accuracy.
//   example_fashion_mnist [DATA_DIR] [EPOCHS]
#include <cstdio>
#include <string>

#include "greentrain/trainer/cpu_trainer.hpp"
#include "greentrain/trainer/idx_reader.hpp"

using namespace greentrain::trainer;

// The seam where an EmissionsTracker opens one task per epoch.
class EpochLog : public TrainingObserver {
 public:
  void on_epoch_end(const EpochSummary& s) override {
    std::printf("epoch %zu: loss %.4f, %.0f samples/s\n", s.epoch + 1, s.train_loss, s.samples_per_s);
  }
};

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : "/usr/share/datasets/fashion-mnist";
  std::size_t epochs = argc > 2 ? std::stoul(argv[2]) : 10;

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

  EpochLog log;
  trainer.fit(train, {}, &log);
  Evaluation result = trainer.evaluate(test);
  std::printf("test accuracy %.4f\n", result.accuracy);
  return 0;
}
