#include "greentrain/trainer/tracked_training.hpp"

#include <string>

namespace greentrain::trainer {

void TrackedTraining::on_epoch_begin(std::size_t epoch) {
  task_.emplace(tracker_.task("epoch-" + std::to_string(epoch + 1)));
  if (next_) next_->on_epoch_begin(epoch);
}

void TrackedTraining::on_batch_end(const BatchProgress& progress) {
  if (next_) next_->on_batch_end(progress);
}

void TrackedTraining::on_epoch_end(const EpochSummary& summary) {
  if (task_) {
    epochs_.push_back(task_->stop());
    task_.reset();
  }
  if (next_) next_->on_epoch_end(summary);
}

std::optional<Joules> TrackedTraining::energy_so_far() const {
  return to_joules(tracker_.snapshot().total.energy);
}

bool TrackedTraining::stop_requested() const {
  return tracker_.stop_requested() || (next_ && next_->stop_requested());
}

}  // namespace greentrain::trainer
