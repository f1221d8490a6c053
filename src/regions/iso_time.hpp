#pragma once
// ISO 8601 times as the carbon APIs write them: "2024-03-06T19:00:00.000Z", "...+00:00".
#include <optional>
#include <string>
#include <string_view>

#include "greentrain/intensity/provider.hpp"

namespace greentrain::detail {

std::optional<SystemTime> parse_iso_time(std::string_view text) noexcept;

// "2024-03-18T02:00:00Z" (whole seconds, UTC).
std::string format_iso_time(SystemTime time);

}  // namespace greentrain::detail
