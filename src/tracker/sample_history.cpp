#include "tracker/sample_history.hpp"

#include <algorithm>

namespace greentrain::detail {

Sample merge(const Sample& earlier, const Sample& later) {
  Seconds length = earlier.duration + later.duration;
  double a = earlier.duration / length, b = later.duration / length;
  return {.time = later.time,
          .duration = length,
          .cpu = earlier.cpu * a + later.cpu * b,
          .gpu = earlier.gpu * a + later.gpu * b,
          .ram = earlier.ram * a + later.ram * b,
          .intensity = earlier.intensity * a + later.intensity * b,
          .cumulative = later.cumulative};
}

// An even capacity, so that a full history halves exactly.
SampleHistory::SampleHistory(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 2) & ~std::size_t{1}) {
  kept_.reserve(capacity_);
}

void SampleHistory::add(const Sample& sample) {
  if (!(sample.duration.count() > 0)) return;
  pending_ = pending_count_ ? merge(pending_, sample) : sample;
  if (++pending_count_ < stride_) return;
  kept_.push_back(pending_);
  pending_count_ = 0;
  if (kept_.size() < capacity_) return;
  for (std::size_t i = 0; i < capacity_ / 2; ++i) kept_[i] = merge(kept_[2 * i], kept_[2 * i + 1]);
  kept_.resize(capacity_ / 2);
  stride_ *= 2;
}

std::vector<Sample> SampleHistory::samples() const {
  std::vector<Sample> all = kept_;
  if (pending_count_) all.push_back(pending_);
  return all;
}

std::vector<Sample> SampleHistory::samples_after(SystemTime time) const {
  auto first = std::upper_bound(kept_.begin(), kept_.end(), time,
                                [](SystemTime t, const Sample& s) { return t < s.time; });
  std::vector<Sample> after(first, kept_.end());
  if (pending_count_ && pending_.time > time) after.push_back(pending_);
  return after;
}

}  // namespace greentrain::detail
