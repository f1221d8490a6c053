#pragma once
// Optimisers and learning-rate schedules. Weight decay applies to weights, never to biases.
#include <cstddef>

namespace greentrain::trainer {

enum class OptimizerKind { sgd_momentum, adamw };

struct OptimizerSpec {
  OptimizerKind kind = OptimizerKind::sgd_momentum;
  double learning_rate = 0.05;
  double momentum = 0.9;  // SGD
  double beta1 = 0.9;     // AdamW
  double beta2 = 0.999;
  double epsilon = 1e-8;
  double weight_decay = 0.0;  // SGD: L2 added to the gradient; AdamW: decoupled
};

enum class ScheduleKind { constant, step, cosine };

struct LrSchedule {
  ScheduleKind kind = ScheduleKind::constant;
  std::size_t warmup_steps = 0;  // linear ramp from 0 to the base rate
  std::size_t step_every = 0;    // step: multiply by gamma every this many steps
  double gamma = 0.1;
  double final_fraction = 0.0;  // cosine: the rate at the last step, as a fraction of the base

  // The learning rate at `step` (0-based) of a run of `total_steps`.
  double rate_at(double base_rate, std::size_t step, std::size_t total_steps) const;
};

}  // namespace greentrain::trainer
