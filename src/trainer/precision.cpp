#include "greentrain/trainer/precision.hpp"

#include <fmt/format.h>

#if defined(__x86_64__) && defined(__clang__)
#include <cpuid.h>
#endif

#include "greentrain/error.hpp"

namespace greentrain::trainer {

bool cpu_supports_bf16() {
#if defined(__x86_64__) && defined(__clang__)
  // clang 14's __builtin_cpu_supports knows neither feature: ask CPUID (leaf 7)
  // and check that the OS saves the AVX-512 registers (XCR0 bits 5-7) or the
  // AMX tiles (bits 17-18).
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid_count(1, 0, &a, &b, &c, &d) || !(c & bit_OSXSAVE))
    return false;
  unsigned xcr0_low = 0, xcr0_high = 0;
  __asm__("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
  bool avx512_state = (xcr0_low & 0xe6) == 0xe6,
       amx_state = (xcr0_low & 0x60000) == 0x60000;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
    return false;
  bool amx_bf16 = (d >> 22) & 1;
  __get_cpuid_count(7, 1, &a, &b, &c, &d);
  bool avx512_bf16 = (a >> 5) & 1;
  return (avx512_bf16 && avx512_state) || (amx_bf16 && amx_state);
#elif defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512bf16") ||
         __builtin_cpu_supports("amx-bf16");
#else
  return false;
#endif
}

std::string_view to_string(Precision p) {
  return p == Precision::bf16 ? "bf16" : "fp32";
}

Precision parse_precision(std::string_view text) {
  if (text == "fp32")
    return Precision::fp32;
  if (text == "bf16")
    return Precision::bf16;
  throw error(errc::invalid_argument,
              fmt::format("precision '{}': expected fp32 or bf16", text));
}

} // namespace greentrain::trainer
