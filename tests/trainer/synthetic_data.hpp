#pragma once
// Gaussian clusters, one per class: small, separable, and fast to train on.
#include "greentrain/trainer/dataset.hpp"
#include "trainer/rng.hpp"

namespace greentrain::trainer::testing {

inline Dataset clusters(std::size_t samples, std::size_t features, std::size_t classes,
                        std::uint64_t seed) {
  Dataset d;
  d.feature_count = features;
  d.class_count = classes;
  for (std::size_t i = 0; i < samples; ++i) {
    auto label = static_cast<std::int32_t>(detail::random_bits(seed, 1, i) % classes);
    d.labels.push_back(label);
    for (std::size_t f = 0; f < features; ++f) {
      double centre = detail::normal(seed + static_cast<std::uint64_t>(label), 2, f) * 1.5;
      d.features.push_back(static_cast<float>(centre + detail::normal(seed, 3, i * features + f)));
    }
  }
  return d;
}

}  // namespace greentrain::trainer::testing
