#pragma once
// A small argument parser for the subcommands: `--name value`, `--name=value`, `--flag`, and
// everything after `--` kept as the command to run. Unknown options are errors that list the known ones.
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace greentrain::cli {

class Args {
 public:
  // options: names that take a value; flags: names that do not. Throws greentrain::error.
  Args(std::span<const std::string_view> args, std::set<std::string, std::less<>> options,
       std::set<std::string, std::less<>> flags = {});

  std::optional<std::string> get(std::string_view name) const;
  std::string get_or(std::string_view name, std::string fallback) const;
  double number(std::string_view name, double fallback) const;  // throws with the option's name
  bool flag(std::string_view name) const;
  const std::vector<std::string>& positional() const { return positional_; }
  const std::vector<std::string>& command() const { return command_; }  // after `--`

 private:
  std::map<std::string, std::string, std::less<>> values_;
  std::set<std::string, std::less<>> flags_set_;
  std::vector<std::string> positional_;
  std::vector<std::string> command_;
};

// "4h", "90m", "30s", "1.5h", "2d" -> seconds. Throws greentrain::error naming the text.
double parse_duration_s(std::string_view text);

}  // namespace greentrain::cli
