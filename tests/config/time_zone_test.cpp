#include "greentrain/time_zone.hpp"

#include <catch2/catch.hpp>

using namespace greentrain;

namespace {

const std::filesystem::path trees = GREENTRAIN_TEST_DATA "/timezone";

TimeZoneRoots roots(const std::string& tree, const std::string& zoneinfo = "zoneinfo") {
  return {.etc = trees / tree / "etc", .zoneinfo = trees / zoneinfo};
}

}  // namespace

TEST_CASE("/etc/timezone names the country through zone.tab and iso3166.tab", "[config][tz]") {
  auto guess = guess_country_from_time_zone(roots("timezone-file"), std::nullopt);
  CHECK(guess.time_zone == "Europe/Paris");
  CHECK(guess.country_code == "FR");
  CHECK(guess.country_name == "France");
  CHECK(guess.label() == "guessed from time zone Europe/Paris");
  CHECK_THAT(guess.found_in, Catch::EndsWith("timezone-file/etc/timezone"));
}

TEST_CASE("the /etc/localtime symlink names the zone when /etc/timezone is absent",
          "[config][tz]") {
  auto guess = guess_country_from_time_zone(roots("localtime-link"), std::nullopt);
  CHECK(guess.time_zone == "America/New_York");
  CHECK(guess.country_code == "US");
  CHECK(guess.country_name == "United States");
  CHECK_THAT(guess.found_in, Catch::Contains("-> /usr/share/zoneinfo/America/New_York"));
}

TEST_CASE("TZ wins over the system's files, with or without its colon", "[config][tz]") {
  auto guess = guess_country_from_time_zone(roots("timezone-file"), ":Europe/Berlin");
  CHECK(guess.country_code == "DE");
  CHECK(guess.found_in == "TZ");
  CHECK(guess_country_from_time_zone(roots("timezone-file"), "/usr/share/zoneinfo/Europe/Zurich")
            .country_code == "CH");
}

TEST_CASE("a zone of no country, a POSIX rule and an empty tree give no guess, and say why",
          "[config][tz]") {
  auto utc = guess_country_from_time_zone(roots("utc"), std::nullopt);
  CHECK_FALSE(utc.found());
  CHECK(utc.time_zone == "Etc/UTC");
  CHECK_THAT(utc.why_not, Catch::Contains("Etc/UTC is not one country's"));

  CHECK_FALSE(guess_country_from_time_zone(roots("timezone-file"), "CET-1CEST").found());

  auto none = guess_country_from_time_zone(roots("no-such-tree"), std::nullopt);
  CHECK_FALSE(none.found());
  CHECK(none.time_zone.empty());
  CHECK_THAT(none.why_not, Catch::Contains("TZ is not set"));
  CHECK_THAT(describe(none), Catch::StartsWith("no guess: "));
}

TEST_CASE("zone1970.tab answers only for a zone of one country", "[config][tz]") {
  auto single =
      guess_country_from_time_zone(roots("localtime-link", "zoneinfo-1970"), std::nullopt);
  CHECK(single.country_code == "US");
  // Europe/Paris is listed there as "FR,MC": a merged zone names no single country.
  auto merged = guess_country_from_time_zone(roots("timezone-file", "zoneinfo-1970"), std::nullopt);
  CHECK_FALSE(merged.found());
}
