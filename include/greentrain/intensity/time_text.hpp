#pragma once
// UTC times as text: the traces' "2020-01-01 09:00:00" and ISO 8601 ("2020-01-01T09:00:00Z",
// "2022-07-19T14:00:00.000+02:00").
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace greentrain {

using SystemTime = std::chrono::system_clock::time_point;

// nullopt when the text is not such a time. A time without an offset is UTC.
std::optional<SystemTime> parse_utc_time(std::string_view text);

// "2020-01-01T09:00:00Z" (whole seconds).
std::string format_utc_time(SystemTime time);

// A duration written with its unit: "500ms", "30s", "1.5m", "4h", "2d" (m is minutes). nullopt for
// a bare number, another unit, a negative, NaN or infinite value, or more than 100 years; a
// fraction of a millisecond is rounded to the nearest one.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// The forms parse_duration accepts, for error messages: "a number and its unit: 500ms, 30s, ...".
inline constexpr std::string_view duration_forms =
    "a number and its unit: 500ms, 30s, 90m, 4h or 2d";

}  // namespace greentrain
