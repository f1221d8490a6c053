#include "iso_time.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <charconv>

namespace greentrain::detail {
namespace {

bool read_int(std::string_view text, std::size_t pos, std::size_t digits, int& out) {
  if (pos + digits > text.size()) return false;
  auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + digits, out);
  return ec == std::errc{} && end == text.data() + pos + digits;
}

bool expect(std::string_view text, std::size_t pos, char c) {
  return pos < text.size() && text[pos] == c;
}

}  // namespace

std::optional<SystemTime> parse_iso_time(std::string_view text) noexcept {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_int(text, 0, 4, year) || !expect(text, 4, '-') || !read_int(text, 5, 2, month) ||
      !expect(text, 7, '-') || !read_int(text, 8, 2, day) ||
      !(expect(text, 10, 'T') || expect(text, 10, ' ')) || !read_int(text, 11, 2, hour) ||
      !expect(text, 13, ':') || !read_int(text, 14, 2, minute)) {
    return std::nullopt;
  }
  std::size_t pos = 16;
  if (expect(text, pos, ':')) {
    if (!read_int(text, pos + 1, 2, second)) return std::nullopt;
    pos += 3;
  }
  std::chrono::nanoseconds fraction{0};
  if (expect(text, pos, '.')) {
    ++pos;
    long long scale = 100'000'000;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      fraction += std::chrono::nanoseconds((text[pos] - '0') * scale);
      scale /= 10;
      ++pos;
    }
  }
  std::chrono::minutes offset{0};
  if (expect(text, pos, 'Z')) {
    ++pos;
  } else if (expect(text, pos, '+') || expect(text, pos, '-')) {
    int off_h = 0, off_m = 0;
    if (!read_int(text, pos + 1, 2, off_h) || !expect(text, pos + 3, ':') ||
        !read_int(text, pos + 4, 2, off_m)) {
      return std::nullopt;
    }
    offset = std::chrono::hours(off_h) + std::chrono::minutes(off_m);
    if (text[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return std::nullopt;  // a time without a zone is ambiguous
  }
  if (pos != text.size() || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 ||
      minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(unsigned(month)),
                                   std::chrono::day(unsigned(day))};
  if (!date.ok()) return std::nullopt;
  auto local = std::chrono::sys_days(date) + std::chrono::hours(hour) +
               std::chrono::minutes(minute) + std::chrono::seconds(second) + fraction;
  return std::chrono::time_point_cast<SystemTime::duration>(local - offset);
}

std::string format_iso_time(SystemTime time) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     std::chrono::time_point_cast<std::chrono::seconds>(time));
}

}  // namespace greentrain::detail
