// emissions.csv as `greentrain report` and the project budget read it (ours or
// CodeCarbon's).
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_input.hpp"
#include "greentrain/budget.hpp"
#include "greentrain/error.hpp"
#include "greentrain/report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  greentrain::fuzz::MemoryFile file(data, size);
  if (!file.ok())
    return 0;
  try {
    greentrain::read_run(file.path());
  } catch (const greentrain::error &) {
  }
  try {
    greentrain::project_emissions(file.path(), "fashion-mnist");
  } catch (const greentrain::error &) {
  }
  return 0;
}
