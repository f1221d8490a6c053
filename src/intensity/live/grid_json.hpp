#pragma once
// The JSON shapes of the Electricity Maps and WattTime responses, parsed with simdjson's DOM
// parser, which validates the whole document: a truncated or malformed body is an error, never a
// partial answer.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "greentrain/intensity/electricitymaps.hpp"
#include "greentrain/intensity/watttime.hpp"

namespace greentrain::detail {

// One Electricity Maps record; carbon_intensity is empty where the service sent null.
struct EmRecord {
  std::string zone;
  SystemTime datetime{};
  std::optional<double> carbon_intensity;
  bool is_estimated = false;
  std::string estimation_method;
};

struct EmSeries {
  std::string zone;
  std::vector<EmRecord> records;  // in the order sent
};

// On failure these return nullopt and say why in `why`.
std::optional<EmRecord> parse_em_latest(std::string_view body, std::string& why);
// array_key: "history" (history), "data" (past-range), "forecast" (forecast).
std::optional<EmSeries> parse_em_series(std::string_view body, std::string_view array_key,
                                        std::string& why);
std::optional<std::vector<ZoneInfo>> parse_em_zones(std::string_view body, std::string& why);

struct WattTimePoint {
  SystemTime time{};
  double value = 0;
};

struct WattTimeSeries {
  std::vector<WattTimePoint> points;
  std::string units;  // "lbs_co2_per_mwh", "percentile"
  std::string region;
  std::string signal_type;
  std::chrono::seconds period{300};
};

std::optional<WattTimeSeries> parse_watttime_series(std::string_view body, std::string& why);
std::optional<std::string> parse_watttime_token(std::string_view body, std::string& why);
std::optional<WattTimeRegion> parse_watttime_region(std::string_view body, std::string& why);

// The server's own words from an error body ({"error": ...}, "message" or "msg"); empty when the
// body is not such JSON (an HTML error page). Uncut: scrub it with reply_text before use.
std::string error_message(std::string_view body);

}  // namespace greentrain::detail
