#include <cmath>
#include <numbers>

#include "greentrain/trainer/optimizer.hpp"

namespace greentrain::trainer {

double LrSchedule::rate_at(double base_rate, std::size_t step, std::size_t total_steps) const {
  if (step < warmup_steps)
    return base_rate * static_cast<double>(step + 1) / static_cast<double>(warmup_steps);
  switch (kind) {
    case ScheduleKind::constant:
      return base_rate;
    case ScheduleKind::step:
      return step_every ? base_rate * std::pow(gamma, static_cast<double>(step / step_every))
                        : base_rate;
    case ScheduleKind::cosine: {
      std::size_t span = total_steps > warmup_steps ? total_steps - warmup_steps : 1;
      double progress =
          std::min(1.0, static_cast<double>(step - warmup_steps) / static_cast<double>(span));
      double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
      return base_rate * (final_fraction + (1.0 - final_fraction) * cosine);
    }
  }
  return base_rate;
}

}  // namespace greentrain::trainer
