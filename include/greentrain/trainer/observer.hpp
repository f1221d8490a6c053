#pragma once
// The trainer's seam to the outside world: progress for a bar, and epoch boundaries where an
// EmissionsTracker opens one task per epoch and reports the energy measured so far.
#include <cstddef>
#include <optional>

#include "greentrain/units.hpp"

namespace greentrain::trainer {

struct BatchProgress {
  std::size_t epoch = 0;  // 0-based
  std::size_t batch = 0;  // 1-based count of batches done in this epoch
  std::size_t batches = 0;
  double mean_loss = 0.0;  // over this epoch's batches so far
  double samples_per_s = 0.0;
};

struct EpochSummary {
  std::size_t epoch = 0;
  double train_loss = 0.0;
  double train_accuracy = 0.0;
  std::optional<double> validation_loss;
  std::optional<double> validation_accuracy;
  std::size_t samples = 0;
  Seconds duration{0.0};
  double samples_per_s = 0.0;
  std::optional<Joules> energy;  // from TrainingObserver::energy_so_far, when it answers
  // A stop request ended training after a batch of this epoch; an epoch stopped before its last
  // batch continues from there when trained again (or after a checkpoint is loaded).
  bool stopped = false;
};

// Every hook has a default that does nothing; called on the thread that called CpuTrainer::fit.
// Hooks must not throw.
class TrainingObserver {
 public:
  virtual ~TrainingObserver() = default;
  virtual void on_epoch_begin(std::size_t /*epoch*/) {}
  virtual void on_batch_end(const BatchProgress& /*progress*/) {}
  virtual void on_epoch_end(const EpochSummary& /*summary*/) {}
  // Energy used since training began, when something measures it (a tracker); nullopt otherwise.
  virtual std::optional<Joules> energy_so_far() const { return std::nullopt; }
  // Asked after each batch: true ends training there (a carbon budget is spent, say). With data
  // parallelism a request on any rank stops every rank after the same batch.
  virtual bool stop_requested() const { return false; }
};

}  // namespace greentrain::trainer
