// The trainer: a tiny MLP learns a linearly separable problem on one thread.
#include <greentrain/trainer/cpu_trainer.hpp>

#include "uses.hpp"

bool use_trainer() {
  namespace gt = greentrain::trainer;
  gt::Dataset data;
  data.feature_count = 2;
  data.class_count = 2;
  for (int i = 0; i < 256; ++i) {
    float a = static_cast<float>(i % 16) / 8.0f - 1.0f;
    float b = static_cast<float>(i / 16) / 8.0f - 1.0f;
    data.features.insert(data.features.end(), {a, b});
    data.labels.push_back(a + b > 0 ? 1 : 0);
  }
  gt::TrainerConfig config;
  config.model = {.inputs = 2, .hidden = {{.width = 8}}, .classes = 2};
  config.batch_size = 32;
  config.epochs = 20;
  config.threads = 1;
  gt::CpuTrainer trainer{config};
  trainer.fit(data, {});
  return trainer.epoch() == 20 && trainer.evaluate(data).accuracy > 0.9;
}
