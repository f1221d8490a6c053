#include "grid_json.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <cmath>

#include "greentrain/intensity/intensity_range.hpp"
#include "greentrain/intensity/time_text.hpp"

namespace greentrain::detail {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

simdjson::dom::parser& json_parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

std::optional<element> parse_document(std::string_view body, std::string& why) {
  element root;
  if (auto error = json_parser().parse(body.data(), body.size()).get(root)) {
    why = std::string("the response is not valid JSON (") + simdjson::error_message(error) + ")";
    return std::nullopt;
  }
  return root;
}

std::string_view string_or_empty(object o, std::string_view key) {
  std::string_view value;
  if (o[key].get(value)) return {};
  return value;
}

struct Range {
  double max;
  std::string_view unit;
};
constexpr Range grams_per_kwh{max_intensity_g_per_kwh, "g/kWh"};
constexpr Range lbs_per_mwh{max_intensity_g_per_kwh / grams_per_kwh_per_lbs_per_mwh, "lbs/MWh"};

// A number, or empty for null. A missing field, a string or a figure no grid can have (negative,
// NaN, above max_intensity_g_per_kwh) is an error: a wrong number is worse than none.
bool read_intensity(object o, std::string_view key, Range range, std::optional<double>& out,
                    std::string& why) {
  element value;
  if (o[key].get(value)) {
    why = "a record has no " + std::string(key);
    return false;
  }
  if (value.is_null()) {
    out.reset();
    return true;
  }
  double number = 0;
  if (value.get(number)) {
    why = "a record's " + std::string(key) + " is not a number";
    return false;
  }
  if (!(number >= 0 && number <= range.max)) {
    why = fmt::format("a record's {} of {:g} {} is refused: outside 0 to {:g} {}", key, number,
                      range.unit, range.max, range.unit);
    return false;
  }
  out = number;
  return true;
}

bool read_time(object o, std::string_view key, SystemTime& out, std::string& why) {
  auto parsed = parse_utc_time(string_or_empty(o, key));
  if (!parsed) {
    why = "a record's " + std::string(key) + " is missing or not an ISO 8601 time";
    return false;
  }
  out = *parsed;
  return true;
}

bool read_em_record(object o, EmRecord& record, std::string& why) {
  record.zone = string_or_empty(o, "zone");
  bool estimated = false;
  if (!o["isEstimated"].get(estimated)) record.is_estimated = estimated;
  record.estimation_method = string_or_empty(o, "estimationMethod");
  return read_time(o, "datetime", record.datetime, why) &&
         read_intensity(o, "carbonIntensity", grams_per_kwh, record.carbon_intensity, why);
}

}  // namespace

std::optional<EmRecord> parse_em_latest(std::string_view body, std::string& why) {
  auto root = parse_document(body, why);
  object o;
  if (!root) return std::nullopt;
  if (root->get(o)) {
    why = "the response is not a JSON object";
    return std::nullopt;
  }
  EmRecord record;
  if (!read_em_record(o, record, why)) return std::nullopt;
  return record;
}

std::optional<EmSeries> parse_em_series(std::string_view body, std::string_view array_key,
                                        std::string& why) {
  auto root = parse_document(body, why);
  if (!root) return std::nullopt;
  object o;
  simdjson::dom::array items;
  if (root->get(o) || o[array_key].get(items)) {
    why = "the response has no '" + std::string(array_key) + "' list";
    return std::nullopt;
  }
  EmSeries series;
  series.zone = string_or_empty(o, "zone");
  series.records.reserve(items.size());
  for (element item : items) {
    object entry;
    EmRecord record;
    if (item.get(entry)) {
      why = "a '" + std::string(array_key) + "' entry is not an object";
      return std::nullopt;
    }
    if (!read_em_record(entry, record, why)) return std::nullopt;
    if (!series.records.empty() && record.datetime <= series.records.back().datetime) {
      why = "the '" + std::string(array_key) + "' entry at " + format_utc_time(record.datetime) +
            " is not after the one before";
      return std::nullopt;
    }
    if (record.zone.empty()) record.zone = series.zone;
    series.records.push_back(std::move(record));
  }
  return series;
}

std::optional<std::vector<ZoneInfo>> parse_em_zones(std::string_view body, std::string& why) {
  auto root = parse_document(body, why);
  if (!root) return std::nullopt;
  object zones;
  if (root->get(zones)) {
    why = "the zone list is not a JSON object";
    return std::nullopt;
  }
  std::vector<ZoneInfo> out;
  for (auto [key, value] : zones) {
    object entry;
    if (value.get(entry)) continue;
    ZoneInfo info{std::string(key),
                  std::string(string_or_empty(entry, "zoneName")),
                  std::string(string_or_empty(entry, "countryName")),
                  {}};
    simdjson::dom::array access;
    if (!entry["access"].get(access)) {
      for (element path : access) {
        std::string_view text;
        if (!path.get(text)) info.access.emplace_back(text);
      }
    }
    out.push_back(std::move(info));
  }
  return out;
}

std::optional<WattTimeSeries> parse_watttime_series(std::string_view body, std::string& why) {
  auto root = parse_document(body, why);
  if (!root) return std::nullopt;
  object o, meta;
  simdjson::dom::array data;
  if (root->get(o) || o["data"].get(data) || o["meta"].get(meta)) {
    why = "the response lacks 'data' or 'meta'";
    return std::nullopt;
  }
  WattTimeSeries series;
  series.units = string_or_empty(meta, "units");
  series.region = string_or_empty(meta, "region");
  series.signal_type = string_or_empty(meta, "signal_type");
  int64_t period = 0;
  if (!meta["data_point_period_seconds"].get(period)) {
    if (period <= 0) {
      why = "data_point_period_seconds is " + std::to_string(period) + ", not a positive duration";
      return std::nullopt;
    }
    series.period = std::chrono::seconds(period);
  }
  series.points.reserve(data.size());
  for (element item : data) {
    object entry;
    std::optional<double> value;
    WattTimePoint point;
    if (item.get(entry) || !read_time(entry, "point_time", point.time, why) ||
        !read_intensity(entry, "value", lbs_per_mwh, value, why)) {
      if (why.empty()) why = "a 'data' entry is not an object";
      return std::nullopt;
    }
    if (!series.points.empty() && point.time <= series.points.back().time) {
      why = "the 'data' entry at " + format_utc_time(point.time) + " is not after the one before";
      return std::nullopt;
    }
    if (!value) continue;  // no figure for this point
    point.value = *value;
    series.points.push_back(point);
  }
  return series;
}

std::optional<std::string> parse_watttime_token(std::string_view body, std::string& why) {
  auto root = parse_document(body, why);
  if (!root) return std::nullopt;
  std::string_view token;
  if ((*root)["token"].get(token) || token.empty()) {
    why = "the login response has no token";
    return std::nullopt;
  }
  return std::string(token);
}

std::optional<WattTimeRegion> parse_watttime_region(std::string_view body, std::string& why) {
  auto root = parse_document(body, why);
  if (!root) return std::nullopt;
  object o;
  if (root->get(o) || string_or_empty(o, "region").empty()) {
    why = "the response names no region";
    return std::nullopt;
  }
  return WattTimeRegion{std::string(string_or_empty(o, "region")),
                        std::string(string_or_empty(o, "region_full_name")),
                        std::string(string_or_empty(o, "signal_type"))};
}

std::string error_message(std::string_view body) {
  std::string ignored;
  auto root = parse_document(body, ignored);
  object o;
  if (!root || root->get(o)) return {};
  for (auto key : {"message", "msg", "error"}) {
    auto text = string_or_empty(o, key);
    if (!text.empty()) return std::string(text);  // callers scrub and cut it
  }
  return {};
}

}  // namespace greentrain::detail
