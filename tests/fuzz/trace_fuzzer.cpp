// Intensity traces (`time,intensity` CSV): parse, then ask for a reading and a
// forecast inside it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "greentrain/error.hpp"
#include "greentrain/intensity/trace.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  try {
    auto trace = greentrain::TraceProvider::parse(text, "fuzz input");
    if (trace.points().empty())
      return 0;
    greentrain::ProviderFault fault;
    greentrain::Location anywhere{};
    trace.intensity_at(anywhere, trace.begin_time(), fault);
    trace.forecast(anywhere, trace.begin_time(), trace.end_time(), fault);
  } catch (const greentrain::error &) {
    // A malformed trace is refused with its line: that is the expected outcome.
  }
  return 0;
}
