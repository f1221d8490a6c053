#include "greentrain/intensity/electricitymaps.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "greentrain/error.hpp"
#include "greentrain/intensity/cache.hpp"
#include "greentrain/intensity/fallback.hpp"
#include "network/fake_provider.hpp"
#include "network/replay_server.hpp"
#include "network/utc.hpp"

using namespace std::chrono_literals;
using greentrain::ElectricityMapsOptions;
using greentrain::ElectricityMapsProvider;
using greentrain::errc;
using greentrain::GridQuery;
using greentrain::Location;
using greentrain::ProviderFault;
using greentrain::SystemTime;
using greentrain::test::read_fixture;
using greentrain::test::ReplayServer;
using greentrain::test::respond;
using greentrain::test::utc;

namespace {

constexpr const char* test_key = "em-test-key-7d1f0c";

struct Fixture {
  ReplayServer server;
  SystemTime now = utc(2024, 3, 6, 19, 10);

  ElectricityMapsOptions options(std::string key = test_key) {
    ElectricityMapsOptions o;
    o.base_url = server.base_url("/v3/");
    o.api_key = std::move(key);
    o.http = server.client_options();
    o.clock = [this] { return now; };
    return o;
  }
};

}  // namespace

TEST_CASE("latest reads the documented response as a measured average figure",
          "[electricitymaps]") {
  Fixture f;
  f.server.on("/v3/carbon-intensity/latest", respond(200, read_fixture("em_latest.json")));
  ElectricityMapsProvider em(f.options());
  ProviderFault fault;
  auto reading = em.latest(GridQuery::zone_key("US-CAR-DUK"), fault);
  REQUIRE_FALSE(fault);
  CHECK(reading.intensity.value == 216.0);
  CHECK(reading.signal == greentrain::Signal::average);
  CHECK(reading.provenance.basis == greentrain::Basis::measured);
  CHECK(reading.provenance.source ==
        "Electricity Maps latest, zone US-CAR-DUK, 2024-03-06T19:00:00Z, estimated "
        "(TIME_SLICER_AVERAGE)");
  CHECK(reading.valid_from == utc(2024, 3, 6, 19));
  CHECK(reading.valid_until == utc(2024, 3, 6, 20));
  auto seen = f.server.seen();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].target ==
        "/v3/carbon-intensity/latest?zone=US-CAR-DUK&shouldUseFallbackCallerLookup=false");
  CHECK(seen[0].headers["auth-token"] == test_key);
}

TEST_CASE("a float carbonIntensity is kept exactly and optional fields may be absent",
          "[electricitymaps]") {
  Fixture f;
  f.server.on("/v3/carbon-intensity/latest",
              greentrain::test::in_turn({respond(200, read_fixture("em_latest_float.json")),
                                         respond(200, read_fixture("em_latest_2018.json"))}));
  ElectricityMapsProvider em(f.options());
  ProviderFault fault;
  CHECK(em.latest(GridQuery::zone_key("FR"), fault).intensity.value == 58.765447504659946);
  auto old = em.latest(GridQuery::zone_key("DE"), fault);
  REQUIRE_FALSE(fault);
  CHECK(old.intensity.value == 302.0);
  CHECK(old.provenance.source == "Electricity Maps latest, zone DE, 2018-04-25T18:07:00Z");
}

TEST_CASE("a null carbonIntensity is an error, never zero", "[electricitymaps][fault]") {
  Fixture f;
  f.server.on("/v3/carbon-intensity/latest", respond(200, read_fixture("em_latest_null.json")));
  ElectricityMapsProvider em(f.options());
  ProviderFault fault;
  em.latest(GridQuery::zone_key("DE"), fault);
  CHECK(fault.code == errc::malformed_data);
  CHECK(fault.reason.find("carbonIntensity is null") != std::string::npos);
}

TEST_CASE("points and data centers are queried by their own parameters", "[electricitymaps]") {
  Fixture f;
  f.server.on("/v3/carbon-intensity/latest", respond(200, read_fixture("em_latest.json")));
  ElectricityMapsProvider em(f.options());
  ProviderFault fault;
  em.latest(GridQuery::point(48.8566, 2.3522), fault);
  em.intensity_at(Location::cloud("gcp", "europe-west1"), f.now, fault);
  auto seen = f.server.seen();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].target ==
        "/v3/carbon-intensity/latest?lat=48.8566&lon=2.3522&shouldUseFallbackCallerLookup=false");
  CHECK(seen[1].target ==
        "/v3/carbon-intensity/latest?dataCenterProvider=gcp&dataCenterRegion=europe-west1&"
        "shouldUseFallbackCallerLookup=false");
}

TEST_CASE("history and past-range read their lists as hourly points", "[electricitymaps]") {
  Fixture f;
  f.server.on("/v3/carbon-intensity/history", respond(200, read_fixture("em_history.json")));
  f.server.on("/v3/carbon-intensity/past-range", respond(200, read_fixture("em_past_range.json")));
  ElectricityMapsProvider em(f.options());
  ProviderFault fault;
  auto history = em.history(GridQuery::zone_key("DE"), fault);
  REQUIRE(history.size() == 2);
  CHECK(history[1].intensity.value == 607.0);
  CHECK(history[1].time == utc(2024, 3, 5, 21));
  CHECK(history[1].duration == 3600s);
  auto range =
      em.past_range(GridQuery::zone_key("DK-DK2"), utc(2024, 3, 18, 2), utc(2024, 3, 18, 4), fault);
  REQUIRE(range.size() == 2);
  CHECK(range[0].intensity.value == 161.0);
  CHECK(f.server.seen().back().target ==
        "/v3/carbon-intensity/past-range?zone=DK-DK2&shouldUseFallbackCallerLookup=false&"
        "start=2024-03-18T02%3A00%3A00Z&end=2024-03-18T04%3A00%3A00Z");
}

TEST_CASE("a history point without a figure is skipped, not read as zero", "[electricitymaps]") {
  Fixture f;
  f.server.on("/v3/carbon-intensity/history", respond(200, read_fixture("em_history_null.json")));
  ElectricityMapsProvider em(f.options());
  ProviderFault fault;
  auto history = em.history(GridQuery::zone_key("NL"), fault);
  REQUIRE_FALSE(fault);
  REQUIRE(history.size() == 1);
  CHECK(history[0].intensity.value == 999.0);
}

TEST_CASE("a 72-point forecast becomes 72 contiguous hourly points", "[electricitymaps]") {
  Fixture f;
  f.server.on("/v3/carbon-intensity/forecast", respond(200, read_fixture("em_forecast_72.json")));
  ElectricityMapsProvider em(f.options());
  ProviderFault fault;
  auto forecast = em.forecast(GridQuery::zone_key("FR"), fault);
  REQUIRE(forecast.points.size() == 72);
  CHECK(forecast.points[0].time == utc(2024, 3, 6, 19));
  CHECK(forecast.points[0].intensity.value == 80.0);
  CHECK(forecast.points[71].time == utc(2024, 3, 9, 18));
  CHECK(forecast.points[71].duration == 3600s);
  CHECK(forecast.provenance.basis == greentrain::Basis::modelled);
  auto window = em.forecast(Location::zone("FR"), utc(2024, 3, 7, 0), utc(2024, 3, 7, 4));
  CHECK(window.points.size() == 4);
}

TEST_CASE("intensity_at asks latest near now, history earlier today, the forecast later",
          "[electricitymaps]") {
  Fixture f;
  f.server.on("/v3/carbon-intensity/latest", respond(200, read_fixture("em_latest.json")));
  f.server.on("/v3/carbon-intensity/history", respond(200, read_fixture("em_history.json")));
  f.server.on("/v3/carbon-intensity/forecast", respond(200, read_fixture("em_forecast_sdk.json")));
  ElectricityMapsProvider em(f.options());
  CHECK(em.intensity_at(Location::zone("DE"), f.now).intensity.value == 216.0);
  auto earlier = em.intensity_at(Location::zone("DE"), utc(2024, 3, 5, 21, 30));
  CHECK(earlier.intensity.value == 607.0);
  CHECK(earlier.provenance.source == "Electricity Maps history, zone DE, 2024-03-05T21:00:00Z");
  f.now = utc(2098, 12, 31, 20);
  auto later = em.intensity_at(Location::zone("NL"), utc(2099, 1, 1, 0, 30));
  CHECK(later.intensity.value == 999.0);
  CHECK(later.provenance.basis == greentrain::Basis::modelled);
  ProviderFault fault;
  em.intensity_at(Location::zone("NL"), utc(2099, 1, 1, 3), fault);
  CHECK(fault.code == errc::malformed_data);
}

TEST_CASE("zones lists names and the paths a token may use", "[electricitymaps]") {
  Fixture f;
  f.server.on("/v3/zones", respond(200, read_fixture("em_zones_token.json")));
  ElectricityMapsProvider em(f.options());
  ProviderFault fault;
  auto zones = em.zones(fault);
  REQUIRE(zones.size() == 2);
  CHECK(zones[0].key == "PL");
  CHECK(zones[0].access == std::vector<std::string>{"*"});
  CHECK(zones[1].zone_name == "Portugal");
  CHECK(zones[1].access.size() == 6);
  f.server.on("/v3/zones", respond(200, read_fixture("em_zones.json")));
  zones = em.zones(fault);
  REQUIRE(zones.size() == 3);
  CHECK(zones[2].country_name == "United States of America");
  CHECK(zones[2].access.empty());
}

TEST_CASE("a 401 says what to do and never shows the API key", "[electricitymaps][fault]") {
  Fixture f;
  f.server.on("/v3/carbon-intensity/latest",
              respond(401, std::string(R"({"message":"Token unauthorized for zoneKey FR (token )") +
                               test_key + ")\"}"));
  ElectricityMapsProvider em(f.options());
  try {
    em.intensity_at(Location::zone("FR"), f.now);
    FAIL("a refused key must throw");
  } catch (const greentrain::error& e) {
    std::string what = e.what();
    CHECK(e.code() == errc::unauthorized);
    CHECK(what.find("may not read zone FR") != std::string::npos);
    CHECK(what.find(test_key) == std::string::npos);
    CHECK(what.find("[redacted]") != std::string::npos);
  }
  CHECK(f.server.hits("/v3/carbon-intensity/latest") == 1);
}

TEST_CASE("an invalid token (403) and a missing key are explained", "[electricitymaps][fault]") {
  Fixture f;
  f.server.on("/v3/carbon-intensity/latest", respond(403, read_fixture("em_403.json")));
  auto fr = GridQuery::zone_key("FR");
  ProviderFault fault;
  ElectricityMapsProvider with_key(f.options());
  with_key.latest(fr, fault);
  CHECK(fault.code == errc::unauthorized);
  CHECK(fault.reason ==
        "Electricity Maps: api.test/v3/carbon-intensity/latest answered 403: the credentials were "
        "refused; the API key was refused: check ELECTRICITYMAPS_API_KEY (bursts of requests are "
        "also answered 401; retry later) (the service says: Token is invalid)");
}

TEST_CASE("without an API key nothing is asked and the failure names the variable",
          "[electricitymaps][fault]") {
  Fixture f;
  f.server.on("/v3/carbon-intensity/latest", respond(200, read_fixture("em_latest.json")));
  ElectricityMapsProvider without_key(f.options(""));
  auto fr = GridQuery::zone_key("FR");
  ProviderFault fault;
  without_key.latest(fr, fault);
  CHECK(fault.code == errc::unauthorized);
  CHECK(
      fault.reason.starts_with("Electricity Maps: no API key: ELECTRICITYMAPS_API_KEY is not set"));
  without_key.forecast(Location::zone("FR"), f.now, f.now + 1h, fault);
  CHECK(fault.code == errc::unauthorized);
  auto many = without_key.latest_many(std::vector{fr, GridQuery::zone_key("DE")});
  CHECK(many[1].fault.code == errc::unauthorized);
  CHECK(many[1].fault.reason.find("ELECTRICITYMAPS_API_KEY is not set") != std::string::npos);
  CHECK(f.server.connections() == 0);
}

TEST_CASE("429, 500 and 503 are retried; a lasting failure is an error, never a number",
          "[electricitymaps][fault]") {
  Fixture f;
  auto throttled = respond(429, "{}");
  throttled.headers = {{"Retry-After", "0"}};
  f.server.on("/v3/carbon-intensity/latest",
              greentrain::test::in_turn(
                  {throttled, respond(500, "{}"), respond(200, read_fixture("em_latest.json"))}));
  f.server.on("/v3/carbon-intensity/history", respond(503, "Service Unavailable"));
  ElectricityMapsProvider em(f.options());
  ProviderFault fault;
  CHECK(em.latest(GridQuery::zone_key("US-CAR-DUK"), fault).intensity.value == 216.0);
  CHECK_FALSE(fault);
  auto history = em.history(GridQuery::zone_key("DE"), fault);
  CHECK(fault.code == errc::http_error);
  CHECK(history.empty());
  CHECK(fault.reason.find("answered 503") != std::string::npos);
}

TEST_CASE("truncated or malformed JSON is malformed_data", "[electricitymaps][fault]") {
  Fixture f;
  f.server.on(
      "/v3/carbon-intensity/latest",
      greentrain::test::in_turn(
          {respond(200, R"({"zone":"FR","carbonIntensity":21)"),
           respond(200,
                   R"({"zone":"FR","carbonIntensity":"216","datetime":"2024-03-06T19:00:00Z"})"),
           respond(200, "<html>gateway</html>"),
           respond(200,
                   R"({"zone":"FR","carbonIntensity":-5,"datetime":"2024-03-06T19:00:00Z"})")}));
  ElectricityMapsProvider em(f.options());
  for (int i = 0; i < 4; ++i) {
    ProviderFault fault;
    auto reading = em.latest(GridQuery::zone_key("FR"), fault);
    CHECK(fault.code == errc::malformed_data);
    CHECK(reading.intensity.value == 0.0);
  }
}

TEST_CASE("latest_many fetches every zone concurrently and answers in order", "[electricitymaps]") {
  Fixture f;
  f.server.on("/v3/carbon-intensity/latest", [](const greentrain::test::SeenRequest& request) {
    auto zone_at = request.target.find("zone=") + 5;
    auto zone = request.target.substr(zone_at, request.target.find('&') - zone_at);
    auto reply = zone == "XX" ? respond(400, R"({"error":"unknown zone"})")
                              : respond(200, R"({"zone":")" + zone + R"(","carbonIntensity":)" +
                                                 std::to_string(zone.size() * 100) +
                                                 R"(,"datetime":"2024-03-06T19:00:00.000Z"})");
    reply.hold_until_requests = 5;
    return reply;
  });
  ElectricityMapsProvider em(f.options());
  std::vector<GridQuery> queries{GridQuery::zone_key("FR"), GridQuery::zone_key("DK-DK2"),
                                 GridQuery::zone_key("XX"), GridQuery::zone_key("US-CAR-DUK"),
                                 GridQuery::zone_key("SE")};
  auto results = em.latest_many(queries);
  REQUIRE(results.size() == 5);
  CHECK(results[0].reading.intensity.value == 200.0);
  CHECK(results[1].reading.intensity.value == 600.0);
  CHECK(results[2].fault.code == errc::http_error);
  CHECK(results[2].fault.reason.find("does not know zone XX") != std::string::npos);
  CHECK(results[3].reading.intensity.value == 1000.0);
  CHECK(results[4].reading.provenance.source.find("zone SE") != std::string::npos);
}

TEST_CASE("a three-letter country is not a zone: unknown_location with advice",
          "[electricitymaps]") {
  Fixture f;
  ElectricityMapsProvider em(f.options());
  ProviderFault fault;
  em.intensity_at(Location::country("FRA"), f.now, fault);
  CHECK(fault.code == errc::unknown_location);
  CHECK(fault.reason.find("two-letter country") != std::string::npos);
  CHECK(f.server.seen().empty());
}

TEST_CASE("a rejected certificate or a timeout falls back to embedded data, labelled",
          "[electricitymaps][fault]") {
  ReplayServer impostor(greentrain::test::test_pki().wrong_host);
  Fixture f;
  auto slow = respond(200, read_fixture("em_latest.json"));
  slow.delay = 30s;
  f.server.on("/v3/carbon-intensity/latest", slow);
  auto options = f.options();
  options.http.total_timeout = 200ms;
  auto embedded = std::make_shared<greentrain::test::FakeProvider>("embedded EM 2025 yearly", 56.0);

  greentrain::FallbackProvider timing_out(
      {std::make_shared<ElectricityMapsProvider>(options), embedded});
  auto reading = timing_out.intensity_at(Location::zone("FR"), f.now);
  CHECK(reading.intensity.value == 56.0);
  CHECK(reading.provenance.degraded);
  CHECK(reading.provenance.source ==
        "embedded EM 2025 yearly FR (Electricity Maps unreachable: "
        "api.test/v3/carbon-intensity/latest did not answer in time)");

  auto impostor_options = options;
  impostor_options.http = impostor.client_options();
  auto live = std::make_shared<ElectricityMapsProvider>(impostor_options);
  greentrain::FallbackProvider refusing({live, embedded});
  reading = timing_out.intensity_at(Location::zone("FR"), f.now);
  CHECK(refusing.intensity_at(Location::zone("FR"), f.now)
            .provenance.source.starts_with("embedded EM 2025 yearly FR (Electricity Maps "
                                           "unreachable: TLS handshake with api.test failed ("));
  ProviderFault fault;
  live->intensity_at(Location::zone("FR"), f.now, fault);
  CHECK(fault.reason.find("TLS handshake") != std::string::npos);
  CHECK(impostor.seen().empty());
}

TEST_CASE("a plan without forecasts is asked for a forecast only once", "[electricitymaps]") {
  Fixture f;
  f.server.on("/v3/carbon-intensity/forecast",
              respond(401, R"({"message":"Endpoint not available for your plan"})"));
  ElectricityMapsProvider em(f.options());
  ProviderFault fault;
  em.forecast(GridQuery::zone_key("FR"), fault);
  CHECK(fault.code == errc::unauthorized);
  CHECK(fault.reason.find("not in the API key's plan") != std::string::npos);
  em.forecast(GridQuery::zone_key("DE"), fault);
  CHECK(fault.code == errc::unsupported);
  CHECK(f.server.hits("/v3/carbon-intensity/forecast") == 1);
}

TEST_CASE("prefetch fetches many places at once; intensity_at then answers from them",
          "[electricitymaps]") {
  Fixture f;
  f.server.on("/v3/carbon-intensity/latest", [](const greentrain::test::SeenRequest& request) {
    bool unknown = request.target.find("dataCenterRegion=nowhere") != std::string::npos;
    auto reply = unknown ? respond(400, R"({"error":"unknown region"})")
                         : respond(200, read_fixture("em_latest.json"));
    reply.hold_until_requests = 3;  // answered only once all three are in flight
    return reply;
  });
  auto live = std::make_shared<ElectricityMapsProvider>(f.options());
  auto embedded = std::make_shared<greentrain::test::FakeProvider>("embedded", 44.0);
  greentrain::FallbackProvider chain(
      {std::make_shared<greentrain::CachedProvider>(live, greentrain::CacheOptions{}), embedded});
  std::vector<Location> regions{
      Location::cloud("gcp", "europe-west9"), Location::cloud("aws", "eu-west-3"),
      Location::cloud("gcp", "nowhere"), Location::cloud("gcp", "europe-west9")};
  chain.prefetch(regions, f.now);
  CHECK(f.server.hits("/v3/carbon-intensity/latest") == 3);
  CHECK(chain.intensity_at(regions[0], f.now).intensity.value == 216.0);
  CHECK(chain.intensity_at(regions[1], f.now).intensity.value == 216.0);
  auto unknown = chain.intensity_at(regions[2], f.now);
  CHECK(unknown.intensity.value == 44.0);
  CHECK(unknown.provenance.source ==
        "embedded nowhere (Electricity Maps failed: api.test/v3/carbon-intensity/latest answered "
        "400; it does not know data center gcp:nowhere (the service says: unknown region))");
  CHECK(f.server.hits("/v3/carbon-intensity/latest") == 3);
  f.now += 6min;
  ProviderFault fault;
  live->intensity_at(regions[1], f.now, fault);  // five minutes on, prefetched figures are stale
  CHECK(f.server.hits("/v3/carbon-intensity/latest") == 4);
}

TEST_CASE("a reply echoing the API key keeps it out of readings, zone names and the cache file",
          "[electricitymaps][secrets]") {
  Fixture f;
  auto echo = std::string(R"({"zone":"FR )") + test_key + R"(","carbonIntensity":31,)" +
              R"("datetime":"2024-03-06T19:00:00.000Z","isEstimated":true,"estimationMethod":")" +
              test_key + std::string(300, 'x') + R"("})";
  f.server.on("/v3/carbon-intensity/latest", respond(200, echo));
  f.server.on("/v3/zones",
              respond(200, std::string(R"({"FR":{"zoneName":"France )") + test_key +
                               R"(","access":["carbon-intensity/)" + test_key + R"("]}})"));
  auto cache_file = std::filesystem::temp_directory_path() / "greentrain-em-secret-cache.json";
  std::filesystem::remove(cache_file);
  auto live = std::make_shared<ElectricityMapsProvider>(f.options());
  greentrain::CacheOptions cache;
  cache.file = cache_file;
  greentrain::CachedProvider cached(live, cache);
  auto reading = cached.intensity_at(Location::zone("FR"), f.now);
  CHECK(reading.intensity.value == 31);
  CHECK(reading.provenance.source.find(test_key) == std::string::npos);
  CHECK(reading.provenance.source.find("zone FR [redacted]") != std::string::npos);
  CHECK(reading.provenance.source.size() < 200);  // the 300 x's were cut
  ProviderFault fault;
  auto zones = live->zones(fault);
  REQUIRE(zones.size() == 1);
  CHECK(zones[0].zone_name == "France [redacted]");
  CHECK(zones[0].access.at(0) == "carbon-intensity/[redacted]");
  std::ifstream in(cache_file);
  std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(written.find("zone FR [redacted]") != std::string::npos);
  CHECK(written.find(test_key) == std::string::npos);
  std::filesystem::remove(cache_file);
}

TEST_CASE("an impossible carbonIntensity is refused and the fallback answers, labelled",
          "[electricitymaps][fault]") {
  Fixture f;
  f.server.on("/v3/carbon-intensity/latest",
              respond(200, R"({"zone":"FR","carbonIntensity":1e300,)"
                           R"("datetime":"2024-03-06T19:00:00.000Z"})"));
  auto live = std::make_shared<ElectricityMapsProvider>(f.options());
  auto embedded = std::make_shared<greentrain::test::FakeProvider>("embedded 2025 yearly", 31.0);
  greentrain::FallbackProvider chain({live, embedded});
  auto reading = chain.intensity_at(Location::zone("FR"), f.now);
  CHECK(reading.intensity.value == 31.0);
  CHECK(reading.provenance.degraded);
  CHECK(reading.provenance.source ==
        "embedded 2025 yearly FR (Electricity Maps failed: carbon-intensity/latest: a record's "
        "carbonIntensity of 1e+300 g/kWh is refused: outside 0 to 5000 g/kWh)");
}

TEST_CASE("a forecast whose hours go backwards is refused, never read with negative durations",
          "[electricitymaps][fault]") {
  Fixture f;
  f.server.on("/v3/carbon-intensity/forecast",
              respond(200, R"({"zone":"FR","forecast":[)"
                           R"({"carbonIntensity":40,"datetime":"2024-03-06T21:00:00.000Z"},)"
                           R"({"carbonIntensity":50,"datetime":"2024-03-06T20:00:00.000Z"}]})"));
  ElectricityMapsProvider em(f.options());
  ProviderFault fault;
  em.forecast(GridQuery::zone_key("FR"), fault);
  CHECK(fault.code == errc::malformed_data);
  CHECK(fault.reason ==
        "Electricity Maps: carbon-intensity/forecast: the 'forecast' entry at 2024-03-06T20:00:00Z "
        "is not after the one before");
}

TEST_CASE("the fallback's label names the cause: a refused key with its hint, a rate limit",
          "[electricitymaps][fault]") {
  Fixture f;
  auto throttled = respond(429, R"({"message":"slow down"})");
  throttled.headers = {{"Retry-After", "0"}};
  f.server.on("/v3/carbon-intensity/latest", respond(401, read_fixture("em_403.json")));
  f.server.on("/v3/carbon-intensity/forecast", throttled);
  auto embedded = std::make_shared<greentrain::test::FakeProvider>("embedded", 31.0);
  greentrain::FallbackProvider chain(
      {std::make_shared<ElectricityMapsProvider>(f.options()), embedded});
  auto reading = chain.intensity_at(Location::zone("FR"), f.now);
  CHECK(reading.provenance.source.find(
            "Electricity Maps failed: api.test/v3/carbon-intensity/latest answered 401: the "
            "credentials were refused; the API key was refused: check ELECTRICITYMAPS_API_KEY") !=
        std::string::npos);
  auto forecast = chain.forecast(Location::zone("FR"), f.now, f.now + 2h);
  CHECK(forecast.provenance.source.find(
            "Electricity Maps unreachable: api.test/v3/carbon-intensity/forecast answered 429: too "
            "many requests (after 3 attempts) (the service says: slow down)") != std::string::npos);
}

TEST_CASE("two threads sharing a provider each learn the reason of their own failure",
          "[electricitymaps][fault][threads]") {
  Fixture f;
  f.server.on("/v3/carbon-intensity/latest", respond(400, R"({"message":"Zone is not known"})"));
  f.server.on("/v3/carbon-intensity/forecast",
              respond(401, R"({"message":"Endpoint not available for your plan"})"));
  ElectricityMapsProvider em(f.options());
  auto fr = Location::zone("FR");
  // The same place, two questions failing for two reasons, asked at once: a reason kept in the
  // provider would hand one thread the other's.
  std::vector<std::string> readings, forecasts;
  std::thread reading([&] {
    for (int i = 0; i < 20; ++i) {
      ProviderFault fault;
      em.intensity_at(fr, f.now, fault);
      readings.push_back(fault.reason);
    }
  });
  std::thread forecasting([&] {
    for (int i = 0; i < 20; ++i) {
      ProviderFault fault;
      em.forecast(fr, f.now, f.now + 2h, fault);
      forecasts.push_back(fault.reason);
    }
  });
  reading.join();
  forecasting.join();
  for (const auto& reason : readings) CHECK_THAT(reason, Catch::Contains("does not know zone FR"));
  for (const auto& reason : forecasts) CHECK_THAT(reason, Catch::Contains("plan"));
}
