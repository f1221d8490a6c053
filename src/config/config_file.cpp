#include "config/config_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "greentrain/error.hpp"

namespace greentrain::detail {

namespace {

namespace fs = std::filesystem;

std::string_view type_name(toml::node_type type) {
  switch (type) {
    case toml::node_type::string: return "text";
    case toml::node_type::integer:
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "true or false";
    case toml::node_type::array: return "a list";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
  }
}

// The key of a line that failed to parse: what stands before its '=', if anything.
std::string key_of_line(const std::string& content, std::size_t line) {
  std::istringstream lines(content);
  std::string text;
  for (std::size_t i = 0; i < line && std::getline(lines, text); ++i) {
  }
  auto eq = text.find('=');
  if (eq == std::string::npos) return {};
  auto first = text.find_first_not_of(" \t");
  auto last = text.find_last_not_of(" \t", eq == 0 ? 0 : eq - 1);
  if (first == std::string::npos || last == std::string::npos || first > last) return {};
  return text.substr(first, last - first + 1);
}

// An API key may sit only in a file its owner alone can read.
void refuse_if_others_can_read(const fs::path& path, const ConfigKey& key) {
  auto perms = fs::status(path).permissions();
  if ((perms & (fs::perms::group_read | fs::perms::others_read)) == fs::perms::none) return;
  throw error(errc::permission_denied,
              fmt::format("{} holds {} but its group or others may read it (mode {:03o}); run "
                          "`chmod 600 {}`, or give the key through {} instead",
                          path.string(), key.name, static_cast<unsigned>(perms) & 0777,
                          path.string(), key.variable));
}

std::optional<RawValue> raw_value(const toml::node& node) {
  if (auto text = node.value_exact<std::string>()) return RawValue{*text};
  if (node.is_number()) return RawValue{*node.value<double>()};
  return std::nullopt;
}

}  // namespace

ConfigFileContent read_config_file(const fs::path& path) {
  ConfigFileContent out;
  std::error_code ec;
  if (!fs::exists(path, ec)) return out;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.warnings.push_back(fmt::format("cannot read {} ({}); its settings are not used",
                                       path.string(), std::strerror(errno)));
    return out;
  }
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  out.read = true;

  toml::table table;
  try {
    table = toml::parse(content, path.string());
  } catch (const toml::parse_error& e) {
    auto line = e.source().begin.line;
    std::string key = key_of_line(content, line);
    throw error(errc::malformed_data,
                fmt::format("{}:{}:{}: {}{}; text values need quotes, as in zone = \"FR\"",
                            path.string(), line, e.source().begin.column,
                            key.empty() ? "" : fmt::format("key '{}': ", key), e.description()));
  }

  for (auto&& [name, node] : table) {
    auto line = node.source().begin.line;
    const ConfigKey* key = find_config_key(name.str());
    if (!key) {
      out.warnings.push_back(fmt::format("unknown key '{}' in {}:{}; did you mean '{}'?",
                                         name.str(), path.string(), line,
                                         nearest_config_key(name.str())));
      continue;
    }
    std::string why;
    auto raw = raw_value(node);
    auto value = raw ? check_config_value(*key, *raw, why) : std::nullopt;
    if (!raw) why = fmt::format("{} is not accepted", type_name(node.type()));
    if (!value)
      throw error(errc::invalid_argument,
                  fmt::format("{}:{}: key '{}': {}; accepted: {}", path.string(), line, key->name,
                              why, key->accepted));
    if (key->kind == KeyKind::secret) refuse_if_others_can_read(path, *key);
    out.settings.push_back({key, std::move(*value), static_cast<long>(line)});
  }
  // toml++ keeps keys sorted; the file's own order is what a reader of it expects.
  std::sort(out.settings.begin(), out.settings.end(),
            [](const FileSetting& a, const FileSetting& b) { return a.line < b.line; });
  return out;
}

}  // namespace greentrain::detail
