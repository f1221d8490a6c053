// greentrain config: every effective setting, the layer that set it, the time-zone guess and the
// configuration's warnings.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "redacted_output.hpp"
#include "tracking_options.hpp"
#include "command.hpp"
#include "config_flags.hpp"
#include "greentrain/config.hpp"

namespace greentrain::cli {

namespace {

std::string origin_text(const Config::Entry& entry) {
  if (!entry.is_set) return "not set";
  return describe(entry.origin);
}

// What the location settings come to, in the tracker's terms.
std::string location_text(const Config& config) {
  if (config.location_auto()) {
    const auto& guess = config.time_zone_guess();
    return guess.found() ? fmt::format("country {} ({})", guess.country_code, guess.label())
                         : "none: location = \"auto\" found no country, so the world average";
  }
  if (auto zone = config.text("zone")) return "zone " + *zone + " (Electricity Maps' yearly table)";
  if (auto country = config.text("country"))
    return "country " + *country + " (Ember's yearly table)";
  if (auto cloud = config.text("cloud")) return "cloud region " + *cloud;
  return "none: the world average, said at each run; set zone, country or cloud";
}

void print_text(const Config& config) {
  cli::print(
      "Layers, later ones winning: default, system file, user file, project file, "
      "environment, flag.\n\nFiles:\n");
  for (const auto& file : config.files())
    cli::print("  {:<13} {} ({})\n", to_string(file.layer), file.path.string(),
               file.read ? "read" : "not found");
  cli::print("\nSettings:\n");
  for (const auto& entry : config.entries())
    cli::print("  {:<24} {:<16} {}\n", entry.key, entry.is_set ? entry.value : "-",
               origin_text(entry));
  cli::print("\nLocation: {}\n", location_text(config));
  cli::print("Time zone: {} (used only with location = \"auto\" or --zone auto)\n",
             describe(config.time_zone_guess()));
  for (const auto& warning : config.warnings()) cli::print("\nwarning: {}\n", warning);
}

void print_json(const Config& config) {
  nlohmann::ordered_json out;
  for (const auto& file : config.files())
    out["files"].push_back(
        {{"layer", to_string(file.layer)}, {"path", file.path.string()}, {"read", file.read}});
  for (const auto& entry : config.entries()) {
    nlohmann::ordered_json setting{{"key", entry.key}, {"variable", entry.variable}};
    setting["value"] = entry.is_set ? nlohmann::ordered_json(entry.value) : nullptr;
    setting["layer"] =
        entry.is_set ? nlohmann::ordered_json(to_string(entry.origin.layer)) : nullptr;
    setting["where"] = entry.origin.where;
    setting["secret"] = entry.secret;
    out["settings"].push_back(std::move(setting));
  }
  out["location"] = location_text(config);
  const auto& guess = config.time_zone_guess();
  out["time_zone_guess"] = {{"time_zone", guess.time_zone},
                            {"found_in", guess.found_in},
                            {"country_code", guess.country_code},
                            {"country_name", guess.country_name},
                            {"why_not", guess.why_not}};
  out["warnings"] = config.warnings();
  cli::print("{}\n", out.dump(2));
}

}  // namespace

// The command's body, on a configuration already loaded with the user's flags.
int show_config(const Config& config, bool json) {
  if (json)
    print_json(config);
  else
    print_text(config);
  return 0;
}

namespace {

Action define(Options& options) {
  struct Flags {
    TrackingFlags tracking;
    bool json = false;
  };
  auto flags = std::make_shared<Flags>();
  add_tracking_options(options, flags->tracking, "greentrain");
  options.flag("--json", flags->json, "machine-readable output");
  options.footer(
      "Reads, later ones winning: the defaults, /etc/greentrain.toml, "
      "~/.config/greentrain/greentrain.toml ($XDG_CONFIG_HOME), ./greentrain.toml, GREENTRAIN_* "
      "variables, then the flags given here. API keys show as \"set\".");
  return [flags] {
    // Its warnings are part of what it shows, so they are not printed on stderr as well.
    Config config = Config::load();
    add_flags(config, [&](std::string_view key) { return flags->tracking.given_value(key); });
    return show_config(config, flags->json);
  };
}

const Registration registration{{
    .name = "config",
    .summary = "show every setting, the layer that set it and the time-zone guess",
    .define = define,
}};

}  // namespace
}  // namespace greentrain::cli
