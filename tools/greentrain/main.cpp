// greentrain: measure what a program emits, choose where and when to run it, train on the CPU.
#include <iostream>
#include <string>
#include <vector>

#include "app.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return greentrain::cli::run_command_line(args, std::cout, std::cerr);
}
