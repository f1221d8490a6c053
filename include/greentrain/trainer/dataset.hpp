#pragma once
// Labelled examples held in memory: one row of features per example, one class label per row.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace greentrain::trainer {

struct Dataset {
  std::vector<float> features;        // row-major, size() * feature_count values
  std::vector<std::int32_t> labels;   // in [0, class_count)
  std::size_t feature_count = 0;
  std::size_t class_count = 0;

  std::size_t size() const { return labels.size(); }
  const float* row(std::size_t i) const { return features.data() + i * feature_count; }
};

// Mean and standard deviation of all feature values, to standardise other sets the same way.
struct Normalisation {
  float scale = 1.0f;  // applied first: raw pixels 0..255 -> 0..1
  float mean = 0.0f;
  float stddev = 1.0f;
};

// Statistics of `data` after multiplying by `scale`; use them on the training set, then apply them
// unchanged to the validation and test sets.
Normalisation fit_normalisation(const Dataset& data, float scale = 1.0f);
void normalise(Dataset& data, const Normalisation& n);

struct SplitDatasets {
  Dataset train;
  Dataset validation;
};

// The last `validation_fraction` of a seeded permutation becomes the validation set.
SplitDatasets split(const Dataset& data, double validation_fraction, std::uint64_t seed);

}  // namespace greentrain::trainer
