#include "greentrain/trainer/dataset.hpp"

#include <cmath>

#include "greentrain/error.hpp"
#include "trainer/rng.hpp"

namespace greentrain::trainer {

Normalisation fit_normalisation(const Dataset& data, float scale) {
  if (data.features.empty()) throw error(errc::invalid_argument, "cannot normalise an empty dataset");
  double sum = 0.0, sum_sq = 0.0;
  for (float v : data.features) {
    double x = static_cast<double>(v) * scale;
    sum += x;
    sum_sq += x * x;
  }
  auto n = static_cast<double>(data.features.size());
  double mean = sum / n;
  double variance = std::max(sum_sq / n - mean * mean, 0.0);
  double stddev = variance > 0.0 ? std::sqrt(variance) : 1.0;
  return {scale, static_cast<float>(mean), static_cast<float>(stddev)};
}

void normalise(Dataset& data, const Normalisation& n) {
  float a = n.scale / n.stddev;
  float b = -n.mean / n.stddev;
  for (float& v : data.features) v = v * a + b;
}

SplitDatasets split(const Dataset& data, double validation_fraction, std::uint64_t seed) {
  if (!(validation_fraction >= 0.0 && validation_fraction < 1.0))
    throw error(errc::invalid_argument, "the validation fraction must be in [0, 1)");
  auto order = detail::permutation(data.size(), seed, detail::split_stream);
  auto validation_count =
      static_cast<std::size_t>(std::llround(validation_fraction * static_cast<double>(data.size())));
  std::size_t train_count = data.size() - validation_count;
  SplitDatasets out;
  for (Dataset* part : {&out.train, &out.validation}) {
    part->feature_count = data.feature_count;
    part->class_count = data.class_count;
  }
  auto copy_rows = [&](Dataset& to, std::size_t begin, std::size_t end) {
    to.features.reserve((end - begin) * data.feature_count);
    to.labels.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
      const float* r = data.row(order[i]);
      to.features.insert(to.features.end(), r, r + data.feature_count);
      to.labels.push_back(data.labels[order[i]]);
    }
  };
  copy_rows(out.train, 0, train_count);
  copy_rows(out.validation, train_count, data.size());
  return out;
}

}  // namespace greentrain::trainer
