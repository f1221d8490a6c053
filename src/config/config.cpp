#include "greentrain/config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "config/config_file.hpp"
#include "config/location_guess.hpp"
#include "core/secrets.hpp"
#include "greentrain/error.hpp"
#include "greentrain/tracker.hpp"

namespace greentrain {

namespace {

using detail::ConfigKey;
using detail::KeyKind;

// Where a location was given, so that two in one place are caught: a file, the environment, flags.
std::string place_of(const ConfigOrigin& origin) {
  switch (origin.layer) {
    case ConfigLayer::environment: return "the environment";
    case ConfigLayer::flag: return "the flags";
    default: return origin.where.substr(0, origin.where.rfind(':'));
  }
}

// The built-in defaults, from TrackerOptions itself so the two never drift apart.
std::optional<std::string> default_value(std::string_view key) {
  const TrackerOptions defaults;
  if (key == "project") return defaults.project;
  if (key == "output_dir") return defaults.output_dir.string();
  if (key == "interval")
    return detail::show_config_value(*detail::find_config_key("interval"), defaults.interval);
  return std::nullopt;
}

std::string flag_name(std::string_view key) {
  std::string flag(key);
  std::replace(flag.begin(), flag.end(), '_', '-');
  return "--" + flag;
}

std::optional<std::string> variable(const ConfigSources& sources, std::string_view name) {
  auto it = sources.environment.find(name);
  if (it == sources.environment.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

}  // namespace

std::string_view to_string(ConfigLayer layer) noexcept {
  switch (layer) {
    case ConfigLayer::defaults: return "default";
    case ConfigLayer::system_file: return "system file";
    case ConfigLayer::user_file: return "user file";
    case ConfigLayer::project_file: return "project file";
    case ConfigLayer::environment: return "environment";
    case ConfigLayer::flag: return "flag";
  }
  return "unknown";
}

std::string describe(const ConfigOrigin& origin) {
  if (origin.where.empty()) return std::string(to_string(origin.layer));
  return fmt::format("{} {}", to_string(origin.layer), origin.where);
}

ConfigSources ConfigSources::from_process() {
  ConfigSources sources;
  std::vector<std::string_view> names{"TZ", "HOME", "XDG_CONFIG_HOME"};
  for (const auto& key : detail::config_keys()) names.push_back(key.variable);
  for (auto name : names)
    if (const char* value = std::getenv(std::string(name).c_str()))
      sources.environment.emplace(name, value);
  // XDG: a relative XDG_CONFIG_HOME is invalid and ignored.
  if (auto xdg = variable(sources, "XDG_CONFIG_HOME"); xdg && xdg->starts_with('/'))
    sources.user_file = std::filesystem::path(*xdg) / "greentrain" / "greentrain.toml";
  else if (auto home = variable(sources, "HOME"))
    sources.user_file = std::filesystem::path(*home) / ".config" / "greentrain" / "greentrain.toml";
  return sources;
}

Config Config::load(const ConfigSources& sources) {
  Config config;
  auto tz = sources.environment.find("TZ");
  config.guess_ = guess_country_from_time_zone(
      sources.time_zone,
      tz == sources.environment.end() ? std::nullopt : std::optional<std::string>(tz->second));

  std::pair<ConfigLayer, const std::filesystem::path*> files[] = {
      {ConfigLayer::system_file, &sources.system_file},
      {ConfigLayer::user_file, &sources.user_file},
      {ConfigLayer::project_file, &sources.project_file}};
  for (auto [layer, path] : files) {
    if (path->empty()) continue;
    auto content = detail::read_config_file(*path);
    config.files_.push_back({layer, *path, content.read});
    for (auto& warning : content.warnings) config.warnings_.push_back(std::move(warning));
    for (auto& s : content.settings)
      config.set(s.key->name,
                 {std::move(s.value), {layer, fmt::format("{}:{}", path->string(), s.line)}});
  }

  for (const auto& key : detail::config_keys()) {
    auto text = variable(sources, key.variable);
    if (!text) continue;
    std::string why;
    auto value = detail::check_config_value(key, {*text, true}, why);
    if (!value)
      throw error(errc::invalid_argument,
                  fmt::format("{}={}: {}; accepted: {}", key.variable,
                              key.kind == KeyKind::secret ? "..." : *text, why, key.accepted));
    config.set(key.name,
               {std::move(*value), {ConfigLayer::environment, std::string(key.variable)}});
  }
  return config;
}

void Config::set(std::string_view name, Setting setting) {
  const ConfigKey& key = *detail::find_config_key(name);
  // Every layer (a file, the environment, a flag) comes through here.
  if (key.kind == KeyKind::secret)
    if (const auto* text = std::get_if<std::string>(&setting.value)) detail::register_secret(*text);
  if (key.locates) {
    std::string place = place_of(setting.origin);
    if (place == location_place_ && location_key_ != name)
      throw error(errc::invalid_argument,
                  fmt::format("{} gives both '{}' and '{}' ({}): the location is one of zone, "
                              "country, cloud or location = \"auto\"; keep one",
                              place, location_key_, name, setting.origin.where));
    // A location from a later layer replaces the earlier one whole.
    for (const auto& other : detail::config_keys())
      if (other.locates) values_.erase(std::string(other.name));
    location_place_ = std::move(place);
    location_key_ = std::string(name);
  }
  values_.insert_or_assign(std::string(name), std::move(setting));
}

void Config::set_flag(std::string_view name, std::string_view value) {
  std::string key_name(name);
  std::replace(key_name.begin(), key_name.end(), '-', '_');
  const ConfigKey* key = detail::find_config_key(key_name);
  if (!key)
    throw error(errc::invalid_argument, fmt::format("unknown setting '{}'; did you mean '{}'?",
                                                    name, detail::nearest_config_key(key_name)));
  std::string why;
  auto checked = detail::check_config_value(*key, {std::string(value), true}, why);
  std::string flag = flag_name(key->name);
  if (!checked)
    throw error(errc::invalid_argument,
                fmt::format("{} {}: {}; accepted: {}", flag,
                            key->kind == KeyKind::secret ? "..." : value, why, key->accepted));
  set(key->name, {std::move(*checked), {ConfigLayer::flag, flag}});
}

std::vector<Config::Entry> Config::entries() const {
  std::vector<Entry> out;
  for (const auto& key : detail::config_keys()) {
    Entry entry{.key = std::string(key.name),
                .variable = std::string(key.variable),
                .accepted = std::string(key.accepted),
                .secret = key.kind == KeyKind::secret};
    if (auto it = values_.find(key.name); it != values_.end()) {
      entry.is_set = true;
      entry.value = detail::show_config_value(key, it->second.value);
      entry.origin = it->second.origin;
    } else if (auto fallback = default_value(key.name)) {
      entry.is_set = true;
      entry.value = *fallback;
    }
    out.push_back(std::move(entry));
  }
  return out;
}

std::optional<std::string> Config::text(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  if (const auto* text = std::get_if<std::string>(&it->second.value)) return *text;
  return std::nullopt;
}

std::optional<double> Config::number(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  if (const auto* number = std::get_if<double>(&it->second.value)) return *number;
  return std::nullopt;
}

std::optional<Watts> Config::power(std::string_view key) const {
  if (auto watts = number(key)) return Watts{*watts};
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> Config::interval() const {
  auto it = values_.find("interval");
  if (it == values_.end()) return std::nullopt;
  return std::get<std::chrono::milliseconds>(it->second.value);
}

bool Config::location_auto() const { return text("location") || text("zone") == "auto"; }

std::optional<ConfigOrigin> Config::origin(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second.origin;
}

void Config::apply(TrackerOptions& options) const {
  if (location_auto()) {
    detail::use_location_guess(options, guess_);
  } else if (!location_key_.empty()) {
    options.zone = text("zone").value_or("");
    options.country = text("country").value_or("");
    options.cloud_region = text("cloud").value_or("");
    options.location_note.clear();
  }
  if (auto pue = number("pue")) options.pue = *pue;
  if (auto dir = text("output_dir")) options.output_dir = *dir;
  if (auto every = interval()) options.interval = *every;
  if (auto project = text("project")) options.project = *project;
  if (auto cpu = power("cpu_power")) options.cpu_power = *cpu;
  if (auto ram = power("ram_power")) options.ram_power = *ram;
  if (auto gpu = power("gpu_power")) options.gpu_power = *gpu;
}

TrackerOptions tracker_options_from_config(const Config& config) {
  TrackerOptions options;
  config.apply(options);
  return options;
}

TrackerOptions TrackerOptions::from_environment() {
  Config config = Config::load();
  for (const auto& warning : config.warnings())
    std::fprintf(stderr, "greentrain: %s\n", detail::redact(warning).c_str());
  return tracker_options_from_config(config);
}

namespace detail {

void use_location_guess(TrackerOptions& options, const TimeZoneGuess& guess) {
  options.zone.clear();
  options.cloud_region.clear();
  options.country = guess.country_code;
  options.location_note =
      guess.found() ? guess.label() : "location = \"auto\" found no country: " + guess.why_not;
}

}  // namespace detail

}  // namespace greentrain
