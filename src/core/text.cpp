#include "core/text.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#ifndef GREENTRAIN_VERSION
#define GREENTRAIN_VERSION "0.0.0"
#endif

namespace greentrain::detail {

std::string iso_timestamp(SystemTime time) {
  auto micros = std::chrono::time_point_cast<std::chrono::microseconds>(time);
  auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(micros);
  auto fraction = (micros - seconds).count();
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:06}+00:00", fmt::gmtime(std::chrono::system_clock::to_time_t(seconds)), fraction);
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::string version() { return GREENTRAIN_VERSION; }

}  // namespace greentrain::detail
