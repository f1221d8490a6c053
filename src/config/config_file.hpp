#pragma once
// One greentrain.toml: its settings with their lines, checked against the known keys.
#include <filesystem>
#include <string>
#include <vector>

#include "config/config_keys.hpp"

namespace greentrain::detail {

struct FileSetting {
  const ConfigKey* key = nullptr;
  ConfigValue value;
  long line = 0;
};

struct ConfigFileContent {
  bool read = false;  // false: absent, or unreadable (a warning says why)
  std::vector<FileSetting> settings;
  std::vector<std::string> warnings;  // unknown keys, with the nearest known one
};

// Throws greentrain::error: malformed TOML (file, line, key), a wrong type or an out-of-range
// value (file, line, key, what is accepted), an API key in a file its group or others can read.
ConfigFileContent read_config_file(const std::filesystem::path& path);

}  // namespace greentrain::detail
