#include "app.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>
#include <new>
#include <ostream>
#include <stdexcept>

#include "command.hpp"
#include "greentrain/error.hpp"
#include "core/text.hpp"
#include "redacted_output.hpp"

namespace greentrain::cli {

ServeHook& serve_hook() {
  static ServeHook hook;
  return hook;
}

void add_server(TrackerOptions& options, std::string_view where) {
  if (!serve_hook())
    throw error(errc::unsupported,
                "this greentrain was built without the live server; "
                "configure it with -DGREENTRAIN_WITH_SERVER=ON");
  serve_hook()(options, where);
}

std::vector<Command>& commands() {
  static std::vector<Command> registry;
  return registry;
}

namespace {

struct Defined {
  CLI::App* app;
  std::unique_ptr<Options> options;
  Action action;
};

CLI::App* find_command(CLI::App& app, const std::string& name) {
  auto found = app.get_subcommands([&](CLI::App* sub) { return sub->check_name(name); });
  return found.empty() ? nullptr : found.front();
}

int run_action(std::string_view name, const Action& action, std::ostream& err) {
  try {
    return action();
  } catch (const std::bad_alloc&) {
    fmt::print(err,
               "greentrain {}: not enough memory for the sizes asked for; "
               "lower them (such as "
               "--batch or --layers) or free memory\n",
               name);
  } catch (const std::length_error&) {
    fmt::print(err,
               "greentrain {}: a size asked for is larger than can be "
               "allocated; lower it\n",
               name);
  } catch (const std::exception& e) {
    fmt::print(err, "greentrain {}: {}\n", name, e.what());
  }
  return 2;
}

int run_parsed(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
  CLI::App app(
      "greentrain: measure what a program emits, choose where and "
      "when to run it, train "
      "on the CPU.",
      "greentrain");
  app.set_version_flag("--version", "greentrain " + detail::version(),
                       "print greentrain's version and exit");
  app.require_subcommand(0, 1);
  app.get_formatter()->column_width(36);
  app.footer(
      "`greentrain help COMMAND` or `greentrain COMMAND --help` shows a "
      "command's options.");

  auto sorted = commands();
  std::sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) { return a.name < b.name; });
  std::vector<Defined> defined;
  for (const auto& command : sorted) {
    auto* sub = app.add_subcommand(std::string(command.name), std::string(command.summary));
    auto options = std::make_unique<Options>(*sub);
    auto action = command.define(*options);
    defined.push_back({sub, std::move(options), std::move(action)});
  }
  auto* help = app.add_subcommand("help", "what a command does and its options");
  std::string topic;
  help->add_option("command", topic, "the command to explain (default: list the commands)");

  // Before parsing: once a subcommand is chosen, CLI11's help() is that subcommand's.
  const std::string overview = app.help();
  if (!args.empty() && !args[0].starts_with("-") && !find_command(app, args[0])) {
    fmt::print(err, "greentrain: unknown command '{}'\n\n{}", args[0], overview);
    return 2;
  }
  std::vector<std::string> reversed(args.rbegin(),
                                    args.rend());  // CLI11 parses from the back
  try {
    app.parse(reversed);
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    auto chosen = app.get_subcommands();
    std::string name = chosen.empty() ? "" : " " + chosen.front()->get_name();
    fmt::print(err,
               "greentrain{}: {}\n`greentrain{} --help` lists the options and "
               "what they accept\n",
               name, e.what(), name);
    return 2;
  }
  if (help->parsed()) {
    if (topic.empty()) {
      fmt::print(out, "{}", overview);
      return 0;
    }
    auto* sub = find_command(app, topic);
    if (!sub || sub == help) {
      fmt::print(err, "greentrain help: unknown command '{}'\n\n{}", topic, overview);
      return 2;
    }
    fmt::print(out, "{}", sub->help("greentrain"));
    return 0;
  }
  for (const auto& d : defined)
    if (d.app->parsed()) return run_action(d.app->get_name(), d.action, err);
  fmt::print(out, "{}", overview);
  return 2;
}

}  // namespace

int run_command_line(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
  // All the streams carry (help, errors) leaves redacted; the commands print through cli::print.
  RedactingBuffer out_buffer(out.rdbuf()), err_buffer(err.rdbuf());
  std::ostream redacted_out(&out_buffer), redacted_err(&err_buffer);
  int status = run_parsed(args, redacted_out, redacted_err);
  redacted_out.flush();
  redacted_err.flush();
  return status;
}

}  // namespace greentrain::cli
