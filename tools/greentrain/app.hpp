#pragma once
// The whole command line: `greentrain [--version] COMMAND [OPTIONS]` and
// `greentrain help [COMMAND]`, over the registered commands. In-process, so the
// parsing is testable.
#include <iosfwd>
#include <span>
#include <string>

namespace greentrain::cli {

// Parses `args` (without the program's name), runs the command and returns the
// exit status: the command's own, 0 for --help and --version, 2 for a refused
// option or a failed command, whose message goes to `err`. Help, version and
// parse errors are written to `out` and `err`.
int run_command_line(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace greentrain::cli
