// The WattTime reply parsers: signal series, login token, region lookup.
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
  parse_watttime_series(body, why);
  parse_watttime_token(body, why);
  parse_watttime_region(body, why);
  return 0;
}
