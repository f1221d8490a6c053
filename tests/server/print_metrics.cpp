// Prints the metrics of a sample run, for `promtool check metrics` to judge (see CMakeLists.txt).
#include <cstdio>

#include "metrics_text.hpp"
#include "report/sample_run.hpp"

int main() {
  auto run = greentrain::test::sample_run();
  run.info.project = "quote \" backslash \\ newline \n";  // labels that need escaping
  std::fputs(greentrain::detail::prometheus_text(run).c_str(), stdout);
}
