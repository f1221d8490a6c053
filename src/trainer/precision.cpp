#include "greentrain/trainer/precision.hpp"

#include <fmt/format.h>

#include "greentrain/error.hpp"

namespace greentrain::trainer {

bool cpu_supports_bf16() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512bf16") || __builtin_cpu_supports("amx-bf16");
#else
  return false;
#endif
}

std::string_view to_string(Precision p) { return p == Precision::bf16 ? "bf16" : "fp32"; }

Precision parse_precision(std::string_view text) {
  if (text == "fp32") return Precision::fp32;
  if (text == "bf16") return Precision::bf16;
  throw error(errc::invalid_argument,
              fmt::format("precision '{}': expected fp32 or bf16", text));
}

}  // namespace greentrain::trainer
