#include "greentrain/trainer/run_forecast.hpp"

#include "greentrain/error.hpp"

namespace greentrain::trainer {

RunForecast forecast_run(std::span<const EpochSummary> done, std::size_t epochs_total) {
  if (done.empty()) throw error(errc::invalid_argument, "a forecast needs at least one epoch measured");
  RunForecast f;
  f.epochs_measured = done.size();
  f.epochs_total = std::max(epochs_total, done.size());
  std::size_t first_used = done.size() > 1 ? 1 : 0;
  auto used = static_cast<double>(done.size() - first_used);
  auto remaining = static_cast<double>(f.epochs_total - done.size());

  Seconds elapsed{0.0}, used_time{0.0};
  for (std::size_t e = 0; e < done.size(); ++e) {
    elapsed += done[e].duration;
    if (e >= first_used) used_time += done[e].duration;
  }
  f.duration = elapsed + used_time / used * remaining;

  bool all_measured = true;
  for (const auto& e : done) all_measured = all_measured && e.energy.has_value();
  if (all_measured) {
    Joules before_used = first_used ? *done[first_used - 1].energy : Joules{0.0};
    Joules per_epoch = (*done.back().energy - before_used) / used;
    f.energy = *done.back().energy + per_epoch * remaining;
  }
  return f;
}

}  // namespace greentrain::trainer
