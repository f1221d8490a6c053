#pragma once
// The keys greentrain.toml, the GREENTRAIN_* variables and the flags share: each with its type,
// its range and the words that tell a user what it accepts.
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace greentrain::detail {

enum class KeyKind { location, text, cloud_region, pue, duration, watts, secret };

struct ConfigKey {
  std::string_view name;      // "output_dir"
  std::string_view variable;  // "GREENTRAIN_OUTPUT_DIR"
  KeyKind kind;
  std::string_view accepted;  // "a number from 1.0 up to 5.0 (...)"
  bool locates = false;       // zone, country, cloud, location: one setting together
};

std::span<const ConfigKey> config_keys();
const ConfigKey* find_config_key(std::string_view name);  // null when unknown
std::string nearest_config_key(std::string_view name);

using ConfigValue = std::variant<std::string, double, std::chrono::milliseconds>;

// A value as written: text (a TOML string, a variable, a flag) or a TOML number.
struct RawValue {
  std::variant<std::string, double> value;
  bool from_text = false;  // a variable or a flag: numbers arrive as text and are parsed
};

// The value checked against its key, or `why` it is refused (the accepted forms are the key's).
std::optional<ConfigValue> check_config_value(const ConfigKey& key, const RawValue& raw,
                                              std::string& why);

// "FR", "1.2", "500ms", "65 W"; secrets as "set".
std::string show_config_value(const ConfigKey& key, const ConfigValue& value);

// "4h", "90m", "30s", "500ms" -> milliseconds; nullopt for anything else, a bare number included.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace greentrain::detail
