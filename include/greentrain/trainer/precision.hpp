#pragma once
#include <string_view>

namespace greentrain::trainer {

// bf16 multiplies in bfloat16 and accumulates and keeps master weights in fp32.
enum class Precision { fp32, bf16 };

// Whether this CPU multiplies bf16 natively (AVX512_BF16 or AMX); without it bf16 is refused.
bool cpu_supports_bf16();

std::string_view to_string(Precision p);
Precision parse_precision(std::string_view text);  // throws greentrain::error(invalid_argument)

}  // namespace greentrain::trainer
