#include "config/config_keys.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "greentrain/intensity/location.hpp"
#include "core/key_text.hpp"

namespace greentrain::detail {

namespace {

// The limits the tracker itself enforces (tracker.cpp validate()), said in a user's words.
constexpr double min_pue = 1.0, max_pue = 5.0;
constexpr double max_power_w = 100000.0;

constexpr ConfigKey keys[] = {
    {"zone", "GREENTRAIN_ZONE", KeyKind::text,
     "an Electricity Maps zone such as \"FR\" or \"US-CAL-CISO\" (`greentrain regions --zones`), "
     "or \"auto\"",
     true},
    {"country", "GREENTRAIN_COUNTRY", KeyKind::text,
     "an ISO 3166 country code such as \"FR\" or \"FRA\" (Ember's yearly figures)", true},
    {"cloud", "GREENTRAIN_CLOUD", KeyKind::cloud_region,
     "a cloud region written PROVIDER:REGION, such as \"gcp:europe-west9\"", true},
    {"location", "GREENTRAIN_LOCATION", KeyKind::location,
     "\"auto\": the country of the system time zone, labelled as a guess", true},
    {"pue", "GREENTRAIN_PUE", KeyKind::pue,
     "a number from 1.0 up to 5.0 (the data centre's total energy over its IT energy)"},
    {"output_dir", "GREENTRAIN_OUTPUT_DIR", KeyKind::text, "a directory for emissions.csv"},
    {"interval", "GREENTRAIN_INTERVAL", KeyKind::duration,
     "a positive duration with its unit, such as \"500ms\", \"1s\", \"2m\" or \"1h\""},
    {"project", "GREENTRAIN_PROJECT", KeyKind::text, "a project name that is not empty"},
    {"cpu_power", "GREENTRAIN_CPU_POWER", KeyKind::watts,
     "the CPU's power in watts, above 0 and up to 100000"},
    {"ram_power", "GREENTRAIN_RAM_POWER", KeyKind::watts,
     "the RAM's power in watts, above 0 and up to 100000"},
    {"gpu_power", "GREENTRAIN_GPU_POWER", KeyKind::watts,
     "the GPUs' power in watts, above 0 and up to 100000"},
    {"electricitymaps_api_key", "ELECTRICITYMAPS_API_KEY", KeyKind::secret,
     "the Electricity Maps API key"},
    {"watttime_username", "WATTTIME_USERNAME", KeyKind::secret, "the WattTime user name"},
    {"watttime_password", "WATTTIME_PASSWORD", KeyKind::secret, "the WattTime password"},
};

std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::string shown(const RawValue& raw) {
  if (const auto* text = std::get_if<std::string>(&raw.value))
    return raw.from_text ? *text : fmt::format("\"{}\"", *text);
  return fmt::format("{}", std::get<double>(raw.value));
}

}  // namespace

std::span<const ConfigKey> config_keys() { return keys; }

const ConfigKey* find_config_key(std::string_view name) {
  auto all = config_keys();
  auto it =
      std::find_if(all.begin(), all.end(), [&](const ConfigKey& k) { return k.name == name; });
  return it == all.end() ? nullptr : &*it;
}

std::string nearest_config_key(std::string_view name) {
  std::vector<std::string> names;
  for (const auto& key : config_keys()) names.emplace_back(key.name);
  return nearest_keys(name, names, 1).front();
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  auto unit_at = text.find_first_not_of("0123456789.+-eE");
  if (unit_at == 0 || unit_at == std::string_view::npos) return std::nullopt;
  // "1e3ms" is fine, but the 'e' of a unit cannot start it: no unit starts with e.
  auto number = parse_number(text.substr(0, unit_at));
  std::string_view unit = text.substr(unit_at);
  double scale_ms = unit == "ms"  ? 1
                    : unit == "s" ? 1e3
                    : unit == "m" ? 6e4
                    : unit == "h" ? 3.6e6
                                  : 0;
  if (!number || scale_ms == 0) return std::nullopt;
  double ms = *number * scale_ms;
  if (!(ms >= -9e15 && ms <= 9e15)) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(std::llround(ms)));
}

std::optional<ConfigValue> check_config_value(const ConfigKey& key, const RawValue& raw,
                                              std::string& why) {
  const auto* text = std::get_if<std::string>(&raw.value);
  bool numeric = key.kind == KeyKind::pue || key.kind == KeyKind::watts;
  if (numeric) {
    std::optional<double> number;
    if (!text)
      number = std::get<double>(raw.value);
    else if (raw.from_text)
      number = parse_number(*text);
    if (!number) {
      why = fmt::format("{} is not a number", shown(raw));
      return std::nullopt;
    }
    bool in_range = key.kind == KeyKind::pue ? *number >= min_pue && *number < max_pue
                                             : *number > 0 && *number <= max_power_w;
    if (!in_range) {
      why = fmt::format("{} is out of range", shown(raw));
      return std::nullopt;
    }
    return *number;
  }
  if (!text) {
    why = key.kind == KeyKind::duration
              ? fmt::format("{} has no unit", shown(raw))
              : fmt::format("{} is a number, not text in quotes", shown(raw));
    return std::nullopt;
  }
  switch (key.kind) {
    case KeyKind::duration: {
      auto duration = parse_duration(*text);
      if (!duration || duration->count() <= 0) {
        why = fmt::format("{} {}", shown(raw),
                          parse_number(*text) ? "has no unit" : "is not a positive duration");
        return std::nullopt;
      }
      return *duration;
    }
    case KeyKind::location:
      if (*text != "auto") {
        why = fmt::format("{} is not a location mode", shown(raw));
        return std::nullopt;
      }
      return *text;
    case KeyKind::cloud_region:
      if (!Location::parse_cloud(*text)) {
        why = fmt::format("{} is not written PROVIDER:REGION", shown(raw));
        return std::nullopt;
      }
      return *text;
    default:
      if (text->empty()) {
        why = "the value is empty";
        return std::nullopt;
      }
      return *text;
  }
}

std::string show_config_value(const ConfigKey& key, const ConfigValue& value) {
  if (key.kind == KeyKind::secret) return "set";
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* ms = std::get_if<std::chrono::milliseconds>(&value))
    return ms->count() % 1000 == 0 ? fmt::format("{}s", ms->count() / 1000)
                                   : fmt::format("{}ms", ms->count());
  double number = std::get<double>(value);
  return key.kind == KeyKind::watts ? fmt::format("{} W", number) : fmt::format("{}", number);
}

}  // namespace greentrain::detail
