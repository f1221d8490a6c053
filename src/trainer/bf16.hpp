#pragma once
#include <bit>
#include <cstddef>
#include <cstdint>

namespace greentrain::trainer::detail {

// Round to nearest even, as the hardware converts; inputs are finite.
inline std::uint16_t to_bf16(float value) {
  auto bits = std::bit_cast<std::uint32_t>(value);
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return static_cast<std::uint16_t>(bits >> 16);
}

// Two rows of n values as n interleaved pairs: out[2i] from even[i], out[2i + 1] from odd[i].
inline void to_bf16_pairs(const float* __restrict even, const float* __restrict odd,
                          std::uint16_t* __restrict out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = to_bf16(even[i]);
    out[2 * i + 1] = to_bf16(odd[i]);
  }
}

inline float from_bf16(std::uint16_t value) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(value) << 16);
}

}  // namespace greentrain::trainer::detail
