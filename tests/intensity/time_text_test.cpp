#include "greentrain/intensity/time_text.hpp"

#include <catch2/catch.hpp>

using namespace greentrain;
using namespace std::chrono;

TEST_CASE("trace and ISO 8601 times parse as UTC", "[intensity]") {
  SystemTime nine = sys_days{2020y / January / 1} + 9h;
  CHECK(parse_utc_time("2020-01-01 09:00:00") == nine);
  CHECK(parse_utc_time("2020-01-01T09:00:00Z") == nine);
  CHECK(parse_utc_time("2020-01-01T10:00:00+01:00") == nine);
  CHECK(parse_utc_time("2020-01-01T09:00") == nine);
  CHECK(parse_utc_time("2020-01-01T09:00:00.500Z") == nine + 500ms);
  CHECK(parse_utc_time("2020-01-01") == sys_days{2020y / January / 1});
}

TEST_CASE("malformed times do not parse", "[intensity]") {
  CHECK(!parse_utc_time("2020-13-01 00:00:00"));
  CHECK(!parse_utc_time("2020-02-30"));
  CHECK(!parse_utc_time("yesterday"));
  CHECK(!parse_utc_time("2020-01-01 25:00:00"));
  CHECK(!parse_utc_time("2020-01-01T09:00:00Zjunk"));
}

TEST_CASE("a year outside the clock's nanosecond range does not parse", "[intensity]") {
  CHECK(!parse_utc_time("0000-01-01 00:00:00"));
  CHECK(!parse_utc_time("9999-12-31T23:00:00Z"));
  CHECK(parse_utc_time("2200-01-01T00:00:00Z"));
}

TEST_CASE("times format as ISO 8601 UTC", "[intensity]") {
  CHECK(format_utc_time(sys_days{2020y / March / 5} + 13h + 7min + 9s) == "2020-03-05T13:07:09Z");
}

TEST_CASE("durations carry their unit, milliseconds to days", "[intensity]") {
  CHECK(parse_duration("500ms") == 500ms);
  CHECK(parse_duration("30s") == 30s);
  CHECK(parse_duration("0.01s") == 10ms);
  CHECK(parse_duration("1.5m") == 90s);
  CHECK(parse_duration("4h") == 4h);
  CHECK(parse_duration("2d") == 48h);
}

TEST_CASE("a bare number, an unknown unit or a value out of range is not a duration",
          "[intensity]") {
  CHECK(!parse_duration("30"));
  CHECK(!parse_duration("30 s"));
  CHECK(!parse_duration("30w"));
  CHECK(!parse_duration("-1s"));
  CHECK(!parse_duration("nans"));
  CHECK(!parse_duration("infh"));
  CHECK(!parse_duration("1e300d"));
  CHECK(!parse_duration(""));
}
