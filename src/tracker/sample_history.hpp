#pragma once
// The run's time series, bounded: when full, neighbouring samples are merged in pairs and later
// intervals are gathered in groups twice as long, so a 30-hour run at 1 Hz keeps at most
// `capacity` points of evenly coarser resolution.
#include <cstddef>
#include <vector>

#include "greentrain/emissions.hpp"

namespace greentrain::detail {

// `later` follows `earlier`: powers and intensity are averaged over time, the rest is the later's.
Sample merge(const Sample& earlier, const Sample& later);

class SampleHistory {
 public:
  explicit SampleHistory(std::size_t capacity = 1024);

  void add(const Sample& sample);  // intervals of no length are ignored

  // Oldest first, the group still being gathered last.
  std::vector<Sample> samples() const;
  std::vector<Sample> samples_after(SystemTime time) const;
  // How many intervals one kept point stands for.
  std::size_t stride() const { return stride_; }

 private:
  std::size_t capacity_;
  std::size_t stride_ = 1;
  std::vector<Sample> kept_;
  Sample pending_{};
  std::size_t pending_count_ = 0;
};

}  // namespace greentrain::detail
