#pragma once
// Training under an EmissionsTracker: one task per epoch, so each epoch has its own energy and
// emissions, and the energy so far feeds progress bars and the whole-run forecast. A spent carbon
// budget (TrackerOptions::budget with request_stop) stops training after the current batch.
//
//   EmissionsTracker tracker{{.project = "fashion-mnist", .zone = "FR"}};
//   TrackedTraining tracked(tracker);
//   trainer.fit(train, validation, &tracked);
#include <optional>
#include <vector>

#include "greentrain/tracker.hpp"
#include "greentrain/trainer/observer.hpp"

namespace greentrain::trainer {

class TrackedTraining final : public TrainingObserver {
 public:
  // `next`, when given, receives every hook after the tracker has taken its figures.
  explicit TrackedTraining(EmissionsTracker& tracker, TrainingObserver* next = nullptr)
      : tracker_(tracker), next_(next) {}

  void on_epoch_begin(std::size_t epoch) override;
  void on_batch_end(const BatchProgress& progress) override;
  void on_epoch_end(const EpochSummary& summary) override;
  std::optional<Joules> energy_so_far() const override;
  // The tracker's (a spent carbon budget with request_stop) or the next observer's.
  bool stop_requested() const override;

  // Each finished epoch's figures, in order ("epoch-1", "epoch-2", ...).
  const std::vector<Emissions>& epochs() const { return epochs_; }

 private:
  EmissionsTracker& tracker_;
  TrainingObserver* next_;
  std::optional<EmissionsTracker::Task> task_;
  std::vector<Emissions> epochs_;
};

}  // namespace greentrain::trainer
