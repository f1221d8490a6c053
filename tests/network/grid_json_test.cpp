#include "intensity/live/grid_json.hpp"

#include <catch2/catch.hpp>

#include "network/replay_server.hpp"

using namespace greentrain::detail;
using greentrain::test::read_fixture;

TEST_CASE("an Electricity Maps record reads its estimation fields", "[json]") {
  std::string why;
  auto record = parse_em_latest(read_fixture("em_latest.json"), why);
  REQUIRE(record);
  CHECK(record->zone == "US-CAR-DUK");
  CHECK(record->carbon_intensity == 216.0);
  CHECK(record->is_estimated);
  CHECK(record->estimation_method == "TIME_SLICER_AVERAGE");
}

TEST_CASE("a record without carbonIntensity is refused; null is kept as no figure", "[json]") {
  std::string why;
  CHECK_FALSE(parse_em_latest(R"({"zone":"FR","datetime":"2024-03-06T19:00:00Z"})", why));
  CHECK(why == "a record has no carbonIntensity");
  auto record = parse_em_latest(read_fixture("em_latest_null.json"), why);
  REQUIRE(record);
  CHECK_FALSE(record->carbon_intensity);
}

TEST_CASE("a series entry takes the zone of its response when it names none", "[json]") {
  std::string why;
  auto series = parse_em_series(read_fixture("em_forecast_sdk.json"), "forecast", why);
  REQUIRE(series);
  REQUIRE(series->records.size() == 1);
  CHECK(series->records[0].zone == "NL");
  CHECK(series->records[0].carbon_intensity == 999.0);
  CHECK_FALSE(parse_em_series(read_fixture("em_forecast_sdk.json"), "history", why));
  CHECK(why == "the response has no 'history' list");
}

TEST_CASE("an empty zone list is empty, not an error", "[json]") {
  std::string why;
  auto zones = parse_em_zones("{}", why);
  REQUIRE(zones);
  CHECK(zones->empty());
  auto none = parse_em_zones(R"({"NL":{"zoneName":"Netherlands","access":[]}})", why);
  REQUIRE(none);
  CHECK(none->at(0).access.empty());
}

TEST_CASE("WattTime series keep units, region and period", "[json]") {
  std::string why;
  auto series = parse_watttime_series(read_fixture("wt_historical.json"), why);
  REQUIRE(series);
  CHECK(series->units == "lbs_co2_per_mwh");
  CHECK(series->region == "CAISO_NORTH");
  CHECK(series->period == std::chrono::seconds(300));
  CHECK(series->points[1].value == 860.0);
}

TEST_CASE("the service's own words are read from error bodies", "[json]") {
  CHECK(error_message(R"({"error":"Token is invalid"})") == "Token is invalid");
  CHECK(error_message(
            R"({"error":"INVALID_QUERY_PARAMS","msg":"You've provided invalid parameters"})") ==
        "You've provided invalid parameters");
  CHECK(error_message(R"({"status":"error","message":"Unknown error occured."})") ==
        "Unknown error occured.");
  CHECK(error_message(read_fixture("wt_403.html")).empty());
}

TEST_CASE("the login token and the region are read; their absence is explained", "[json]") {
  std::string why;
  CHECK(parse_watttime_token(read_fixture("wt_login.json"), why) == "abcdef0123456789fedcabc");
  CHECK_FALSE(parse_watttime_token(R"({"user":"x"})", why));
  CHECK(why == "the login response has no token");
  CHECK_FALSE(parse_watttime_region(read_fixture("wt_no_coverage.json"), why));
}
