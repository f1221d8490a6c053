// The Electricity Maps reply parsers: latest, the three series shapes, zones,
// error bodies.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "intensity/live/grid_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  using namespace greentrain::detail;
  std::string_view body(reinterpret_cast<const char *>(data), size);
  std::string why;
  parse_em_latest(body, why);
  for (std::string_view key : {"history", "data", "forecast"})
    parse_em_series(body, key, why);
  parse_em_zones(body, why);
  error_message(body);
  return 0;
}
