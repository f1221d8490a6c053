#pragma once
// Runs a greentrain command line in-process and keeps what it printed.
#include <sstream>
#include <string>
#include <vector>

#include "app.hpp"

namespace greentrain::test {

struct CommandLineResult {
  int status = -1;
  std::string out, err;
};

inline CommandLineResult run_greentrain(std::vector<std::string> args) {
  std::ostringstream out, err;
  int status = cli::run_command_line(args, out, err);
  return {status, out.str(), err.str()};
}

}  // namespace greentrain::test
