#pragma once
// Counter-based random numbers: a value depends only on (seed, stream, index), so shuffles,
// initial weights and dropout masks are the same whatever the thread count, and a checkpoint
// needs only the seed and the step to resume the exact sequence.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <vector>

namespace greentrain::trainer::detail {

constexpr std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr std::uint64_t random_bits(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
  return mix(mix(seed ^ mix(stream)) + index);
}

// Uniform in [0, 1) with 24 bits, exactly representable as float.
constexpr float uniform01(std::uint64_t bits) {
  return static_cast<float>(bits >> 40) * (1.0f / 16777216.0f);
}

inline double normal(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
  double u1 = (static_cast<double>(random_bits(seed, stream, 2 * index) >> 11) + 1.0) * 0x1.0p-53;
  double u2 = static_cast<double>(random_bits(seed, stream, 2 * index + 1) >> 11) * 0x1.0p-53;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

// A seeded Fisher-Yates permutation of 0..n-1.
inline std::vector<std::size_t> permutation(std::size_t n, std::uint64_t seed, std::uint64_t stream) {
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  for (std::size_t i = n; i > 1; --i) {
    auto j = static_cast<std::size_t>(random_bits(seed, stream, i) % i);
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

// Streams, so that no two uses of the seed draw the same numbers.
enum Stream : std::uint64_t { init_stream = 1, shuffle_stream = 2, dropout_stream = 3, split_stream = 4 };

}  // namespace greentrain::trainer::detail
