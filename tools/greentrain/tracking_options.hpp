#pragma once
// The options the tracking and deciding commands share, declared in one place:
// where the electricity comes from (--zone, --country, --cloud), and for
// tracking --output-dir, --interval,
// --pue, --intensity and --project. given_flags() names those the user typed,
// so that the configuration layers can fill the others.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "greentrain/config.hpp"
#include "greentrain/intensity/location.hpp"
#include "options.hpp"

namespace greentrain {
struct TrackerOptions;
struct RunResult;
}  // namespace greentrain

namespace greentrain::cli {

struct LocationFlags {
  std::optional<std::string> zone;     // Electricity Maps zone key
  std::optional<std::string> country;  // ISO 3166 alpha-2 or alpha-3 (Ember)
  std::optional<std::string> cloud;    // PROVIDER:REGION

  // The location given, if any.
  std::optional<Location> location() const;
  // As typed: "FR", "FRA", "gcp:europe-west9"; empty when none was given.
  std::string key() const;
  // With no flag given: the location of the configuration layers (greentrain.toml,
  // GREENTRAIN_ZONE, ...), if one sets it.
  void fill_from_config();
};

struct TrackingFlags {
  LocationFlags location;
  std::string output_dir = ".";
  std::chrono::milliseconds interval{1000};
  std::optional<double> pue;
  std::optional<double> intensity_g_per_kwh;
  std::string project;
  // Watts measured at the wall by the user, in place of a sensor or model ("user" figures).
  std::optional<double> cpu_power, ram_power, gpu_power;

  // The shared flags given on the command line ("--zone", "--pue"), after parsing.
  std::vector<std::string> given_flags() const;
  bool given(std::string_view flag) const { return declared_in && declared_in->given(flag); }
  // The value of a configuration key's flag ("zone", "output-dir") as text, if the user gave it.
  std::optional<std::string> given_value(std::string_view key) const;
  // Fills the tracker's options from the configuration layers with the given flags on top
  // (prints the configuration's warnings) and returns the configuration, which says what set
  // each value. Without a configured project, `project` names it.
  Config apply_to(TrackerOptions& options) const;

  const Options* declared_in = nullptr;
};

// --zone, --country and --cloud, at most one of them.
void add_location_options(Options& options, LocationFlags& flags);
// The location options and the tracker's; `flags.project` holds the default
// project name, or `project_default` says what it is.
void add_tracking_options(Options& options, TrackingFlags& flags, std::string project_default = {});
// After the tracker stopped: each file it wrote for `result`, as "wrote PATH" on stderr.
void print_written_files(const TrackerOptions& options, const RunResult& result);
// One "wrote PATH" line on stderr.
void print_written(const std::filesystem::path& path);

// What a modelled figure's band means, for the help of the commands that measure: "Without a
// readable energy counter CPU power is modelled ... band x0.55-x1.78, which held for 82 % ...".
std::string modelled_power_note();

// --serve [ADDR:]PORT, for the commands that track.
void add_serve_option(Options& options, std::optional<std::string>& where);

}  // namespace greentrain::cli
