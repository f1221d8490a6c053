#pragma once
// Settings in layers, later ones winning: built-in defaults, /etc/greentrain.toml, the user's
// ~/.config/greentrain/greentrain.toml ($XDG_CONFIG_HOME honoured), ./greentrain.toml, GREENTRAIN_*
// variables, then the command line's flags. Every effective value knows which layer set it.
//
//   auto config = greentrain::Config::load();  // throws greentrain::error naming file:line, key
//   config.set_flag("zone", "FR");             // one call per flag the user gave
//   greentrain::TrackerOptions options;
//   config.apply(options);
//
// The location (zone, country, cloud, location = "auto") is one setting: a later layer that gives
// any of them replaces what earlier layers gave. API keys come from the environment or from a file
// only its owner can read; they are never shown, only "set (from FILE)".
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "greentrain/time_zone.hpp"
#include "greentrain/units.hpp"

namespace greentrain {

struct TrackerOptions;

enum class ConfigLayer { defaults, system_file, user_file, project_file, environment, flag };

// "default", "system file", "user file", "project file", "environment", "flag".
std::string_view to_string(ConfigLayer layer) noexcept;

// Who set a value: the layer and where in it ("/etc/greentrain.toml:3", "GREENTRAIN_ZONE",
// "--zone").
struct ConfigOrigin {
  ConfigLayer layer = ConfigLayer::defaults;
  std::string where;

  bool operator==(const ConfigOrigin&) const = default;
};

// "project file ./greentrain.toml:3", "environment GREENTRAIN_ZONE", "default".
std::string describe(const ConfigOrigin& origin);

// Where the layers are read from. from_process() gives the real ones; tests use temp dirs and a
// made-up environment.
struct ConfigSources {
  std::filesystem::path system_file{"/etc/greentrain.toml"};
  std::filesystem::path user_file{};  // none when empty
  std::filesystem::path project_file{"greentrain.toml"};
  std::map<std::string, std::string, std::less<>> environment{};  // name -> value
  TimeZoneRoots time_zone{};

  // The user file from $XDG_CONFIG_HOME (else $HOME/.config), the project file in the current
  // directory, and the variables greentrain reads (GREENTRAIN_*, TZ, the API key variables).
  static ConfigSources from_process();
};

class Config {
 public:
  // One known key as it stands: its effective value and who set it.
  struct Entry {
    std::string key;       // "zone", "pue", "electricitymaps_api_key"
    std::string variable;  // "GREENTRAIN_ZONE"
    std::string accepted;  // what the key takes: "a number from 1.0 to 5.0"
    bool is_set = false;   // false: no layer gave it and it has no default
    bool secret = false;   // API keys: value is "set", never the key itself
    std::string value;     // as text: "FR", "1.2", "500ms", "set"
    ConfigOrigin origin;
  };

  // A file of a layer and what became of it.
  struct File {
    ConfigLayer layer = ConfigLayer::system_file;
    std::filesystem::path path;
    bool read = false;  // false: absent, or unreadable (then a warning says why)
  };

  // Reads every layer. Throws greentrain::error for a malformed file (file, line, key), a value of
  // the wrong type or out of range (file, line, key and what is accepted), an API key in a file
  // others can read (with the chmod that fixes it). Unknown keys are warnings.
  static Config load(const ConfigSources& sources);
  static Config load() { return load(ConfigSources::from_process()); }

  // A flag the user gave, on top of every other layer: set_flag("zone", "FR") for --zone FR.
  // Throws greentrain::error naming the flag, the value and what is accepted.
  void set_flag(std::string_view key, std::string_view value);

  // Every known key, in a fixed order, set or not.
  std::vector<Entry> entries() const;
  const std::vector<File>& files() const { return files_; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  const TimeZoneGuess& time_zone_guess() const { return guess_; }

  // Typed values; empty when no layer set them.
  std::optional<std::string> text(
      std::string_view key) const;                           // zone, country, cloud, project, ...
  std::optional<double> number(std::string_view key) const;  // pue
  std::optional<Watts> power(std::string_view key) const;    // cpu_power, ram_power, gpu_power
  std::optional<std::chrono::milliseconds> interval() const;
  bool location_auto() const;  // location = "auto" or zone = "auto"
  std::optional<ConfigOrigin> origin(std::string_view key) const;

  // Sets in `options` every value a layer above the defaults gave (location, pue, output_dir,
  // interval, project, power overrides); with location "auto", the time-zone guess, labelled.
  void apply(TrackerOptions& options) const;

 private:
  struct Setting {
    std::variant<std::string, double, std::chrono::milliseconds> value;
    ConfigOrigin origin;
  };
  void set(std::string_view key, Setting setting);

  std::map<std::string, Setting, std::less<>> values_;
  std::vector<File> files_;
  std::vector<std::string> warnings_;
  TimeZoneGuess guess_;
  // Where the standing location was given (a file, the environment, the flags) and by which key:
  // a later place that gives one replaces it, a second key in the same place contradicts it.
  std::string location_place_, location_key_;
};

// Default options with the configuration applied: what a C++ host gets. The warnings stay in
// config.warnings(); TrackerOptions::from_environment() prints them on stderr.
TrackerOptions tracker_options_from_config(const Config& config);

}  // namespace greentrain
