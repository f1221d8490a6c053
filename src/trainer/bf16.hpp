#pragma once
#include <bit>
#include <cstdint>

namespace greentrain::trainer::detail {

// Round to nearest even, as the hardware converts; inputs are finite.
inline std::uint16_t to_bf16(float value) {
  auto bits = std::bit_cast<std::uint32_t>(value);
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return static_cast<std::uint16_t>(bits >> 16);
}

inline float from_bf16(std::uint16_t value) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(value) << 16);
}

}  // namespace greentrain::trainer::detail
