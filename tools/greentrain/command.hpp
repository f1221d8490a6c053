#pragma once
// Each subcommand registers itself with a static Registration, so adding one
// touches one file. It declares its options (options.hpp) and returns what runs
// once they are parsed and checked.
#include <functional>
#include <string_view>
#include <vector>

#include "options.hpp"

namespace greentrain {
struct TrackerOptions;
}

namespace greentrain::cli {

// What a command does once its options are parsed; its exit status.
using Action = std::function<int()>;

struct Command {
  std::string_view name;
  std::string_view summary;  // one line for `greentrain --help`
  // Declares the options, bound to the command's own state, which the returned action reads.
  std::function<Action(Options& options)> define;
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
