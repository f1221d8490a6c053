// greentrain: measure what a program emits, choose where and when to run it, train on the CPU.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <string_view>
#include <vector>

#include "command.hpp"
#include "greentrain/error.hpp"

namespace greentrain::cli {

ServeHook& serve_hook() {
  static ServeHook hook;
  return hook;
}

void add_server(TrackerOptions& options, std::string_view where) {
  if (!serve_hook())
    throw error(errc::unsupported, "this greentrain was built without the live server; "
                                   "configure it with -DGREENTRAIN_WITH_SERVER=ON");
  serve_hook()(options, where);
}

std::vector<Command>& commands() {
  static std::vector<Command> registry;
  return registry;
}

}  // namespace greentrain::cli

namespace {

void print_help() {
  fmt::print("usage: greentrain COMMAND [OPTIONS]\n\ncommands:\n");
  auto sorted = greentrain::cli::commands();
  std::sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) { return a.name < b.name; });
  for (const auto& c : sorted) fmt::print("  {:<10} {}\n", c.name, c.summary);
  fmt::print("\n`greentrain COMMAND --help` shows a command's options.\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    print_help();
    return args.empty() ? 2 : 0;
  }
  auto& registry = greentrain::cli::commands();
  auto it = std::find_if(registry.begin(), registry.end(),
                         [&](const auto& c) { return c.name == args[0]; });
  if (it == registry.end()) {
    fmt::print(stderr, "greentrain: unknown command '{}'\n\n", args[0]);
    print_help();
    return 2;
  }
  std::span<const std::string_view> rest(args.data() + 1, args.size() - 1);
  if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
    fmt::print("usage: {}\n", it->usage);
    return 0;
  }
  try {
    return it->run(rest);
  } catch (const std::exception& e) {
    fmt::print(stderr, "greentrain {}: {}\n", it->name, e.what());
    return 2;
  }
}
