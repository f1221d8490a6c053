#pragma once
// Each subcommand registers itself with a static Registration, so adding one touches one file.
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace greentrain {
struct TrackerOptions;
}

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

// `--serve [ADDR:]PORT` adds the live server to the tracker's options through this hook, which
// the server component sets when it is built.
using ServeHook = std::function<void(TrackerOptions&, std::string_view where)>;
ServeHook& serve_hook();
// Throws greentrain::error(unsupported) when the server component was not built.
void add_server(TrackerOptions& options, std::string_view where);

}  // namespace greentrain::cli
