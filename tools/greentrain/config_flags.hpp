#pragma once
// The configuration layers with the command's own flags on top, for the commands that track.
#include <fmt/format.h>

#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "greentrain/config.hpp"
#include "redacted_output.hpp"

namespace greentrain::cli {

// The flags that are configuration keys too; a command passes the value of each the user gave.
inline constexpr std::string_view config_flags[] = {
    "zone",     "country", "cloud",     "pue",       "output-dir",
    "interval", "project", "cpu-power", "ram-power", "gpu-power"};

using FlagValue = std::function<std::optional<std::string>(std::string_view flag)>;

// The flags the user gave, as the last layer.
inline void add_flags(Config& config, const FlagValue& flag_value) {
  for (auto flag : config_flags)
    if (auto value = flag_value(flag)) config.set_flag(flag, *value);
}

// Loads every layer, adds the given flags and prints the configuration's warnings on stderr.
inline Config load_config_with_flags(const FlagValue& flag_value) {
  Config config = Config::load();
  add_flags(config, flag_value);
  for (const auto& warning : config.warnings()) cli::print(stderr, "greentrain: {}\n", warning);
  return config;
}

}  // namespace greentrain::cli
