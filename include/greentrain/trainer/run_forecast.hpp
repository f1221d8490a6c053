#pragma once
// After the first epochs, the whole run's duration and energy extrapolated from them (as
// Carbontracker does); the tracker turns the energy into emissions with the zone's intensity.
#include <cstddef>
#include <optional>
#include <span>

#include "greentrain/trainer/observer.hpp"

namespace greentrain::trainer {

struct RunForecast {
  std::size_t epochs_measured = 0;
  std::size_t epochs_total = 0;
  Seconds duration{0.0};
  std::optional<Joules> energy;  // when every measured epoch carries energy_so_far
};

// `done`: the summaries of the epochs so far, in order, energies cumulative since training began.
// The first epoch is left out of the per-epoch rate once later ones exist: it pays for warm-up.
RunForecast forecast_run(std::span<const EpochSummary> done, std::size_t epochs_total);

}  // namespace greentrain::trainer
