#include "greentrain/intensity/time_text.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>

namespace greentrain {

namespace {

// Reads exactly `width` digits at `pos`, advancing it.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    char c = text[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += width;
  return value;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

std::optional<SystemTime> parse_utc_time(std::string_view text) {
  using namespace std::chrono;
  std::size_t pos = 0;
  auto y = digits(text, pos, 4);
  if (!y || !expect(text, pos, '-')) return std::nullopt;
  auto mo = digits(text, pos, 2);
  if (!mo || !expect(text, pos, '-')) return std::nullopt;
  auto d = digits(text, pos, 2);
  if (!d) return std::nullopt;
  year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  // SystemTime counts nanoseconds, which reach only 1678-2262: a year outside this range is no
  // grid time and would overflow.
  if (!date.ok() || *y < 1900 || *y > 2200) return std::nullopt;
  SystemTime result = sys_days{date};
  if (pos == text.size()) return result;
  if (text[pos] != 'T' && text[pos] != ' ') return std::nullopt;
  ++pos;
  auto h = digits(text, pos, 2);
  if (!h || !expect(text, pos, ':')) return std::nullopt;
  auto mi = digits(text, pos, 2);
  if (!mi) return std::nullopt;
  int s = 0;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    auto sec = digits(text, pos, 2);
    if (!sec) return std::nullopt;
    s = *sec;
  }
  if (*h > 23 || *mi > 59 || s > 60) return std::nullopt;
  result += hours{*h} + minutes{*mi} + seconds{s};
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    double scale = 0.1;
    double fraction = 0;
    std::size_t first = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      fraction += (text[pos++] - '0') * scale;
      scale /= 10;
    }
    if (pos == first) return std::nullopt;
    result += duration_cast<SystemTime::duration>(duration<double>(fraction));
  }
  if (pos == text.size()) return result;
  if (text[pos] == 'Z' && pos + 1 == text.size()) return result;
  if (text[pos] != '+' && text[pos] != '-') return std::nullopt;
  int sign = text[pos++] == '+' ? 1 : -1;
  auto oh = digits(text, pos, 2);
  if (!oh) return std::nullopt;
  expect(text, pos, ':');
  auto om = digits(text, pos, 2);
  if (!om || pos != text.size()) return std::nullopt;
  return result - sign * (hours{*oh} + minutes{*om});
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || !std::isfinite(value) || value < 0) return std::nullopt;
  std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  double ms_per_unit = unit == "ms"  ? 1
                       : unit == "s" ? 1e3
                       : unit == "m" ? 60e3
                       : unit == "h" ? 3600e3
                       : unit == "d" ? 86400e3
                                     : 0;
  constexpr double hundred_years_ms = 100 * 365.25 * 86400e3;
  double ms = value * ms_per_unit;
  if (ms_per_unit == 0 || ms > hundred_years_ms) return std::nullopt;
  return std::chrono::milliseconds{std::llround(ms)};
}

std::string format_utc_time(SystemTime time) {
  using namespace std::chrono;
  auto secs = floor<seconds>(time);
  auto day_start = floor<days>(secs);
  year_month_day date{day_start};
  hh_mm_ss clock{secs - day_start};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     clock.hours().count(), clock.minutes().count(), clock.seconds().count());
}

}  // namespace greentrain
