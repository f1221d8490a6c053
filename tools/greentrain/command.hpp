#pragma once
// Each subcommand registers itself with a static Registration, so adding one touches one file.
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace greentrain::cli {

struct Command {
  std::string_view name;
  std::string_view summary;  // one line for `greentrain --help`
  std::string_view usage;    // the full synopsis for `greentrain NAME --help`
  std::function<int(std::span<const std::string_view> args)> run;  // args exclude the name
};

std::vector<Command>& commands();

struct Registration {
  explicit Registration(Command command) { commands().push_back(std::move(command)); }
};

}  // namespace greentrain::cli
