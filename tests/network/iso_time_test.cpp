#include "regions/iso_time.hpp"

#include <catch2/catch.hpp>

using greentrain::SystemTime;
using greentrain::detail::format_iso_time;
using greentrain::detail::parse_iso_time;
using namespace std::chrono_literals;

namespace {

SystemTime march_6_19h() {
  return SystemTime(std::chrono::sys_days(std::chrono::year(2024) / 3 / 6)) + 19h;
}

}  // namespace

TEST_CASE("ISO times with Z, an offset or milliseconds name the same instant", "[iso]") {
  CHECK(parse_iso_time("2024-03-06T19:00:00.000Z") == march_6_19h());
  CHECK(parse_iso_time("2024-03-06T19:00:00Z") == march_6_19h());
  CHECK(parse_iso_time("2024-03-06T19:00:00+00:00") == march_6_19h());
  CHECK(parse_iso_time("2024-03-06T20:30:00+01:30") == march_6_19h());
  CHECK(parse_iso_time("2024-03-06T14:00-05:00") == march_6_19h());
  CHECK(parse_iso_time("2024-03-06T19:00:00.250Z") == march_6_19h() + 250ms);
}

TEST_CASE("times without a zone or with impossible fields are refused", "[iso]") {
  CHECK_FALSE(parse_iso_time("2024-03-06T19:00:00"));
  CHECK_FALSE(parse_iso_time("2024-02-30T19:00:00Z"));
  CHECK_FALSE(parse_iso_time("2024-03-06T25:00:00Z"));
  CHECK_FALSE(parse_iso_time("2024-03-06"));
  CHECK_FALSE(parse_iso_time(""));
  CHECK_FALSE(parse_iso_time("2024-03-06T19:00:00Zjunk"));
}

TEST_CASE("times are written in whole UTC seconds", "[iso]") {
  CHECK(format_iso_time(march_6_19h() + 1500ms) == "2024-03-06T19:00:01Z");
}
