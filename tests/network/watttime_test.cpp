#include "greentrain/intensity/watttime.hpp"

#include <catch2/catch.hpp>

#include "core/secrets.hpp"
#include "greentrain/error.hpp"
#include "network/replay_server.hpp"
#include "network/utc.hpp"

using namespace std::chrono_literals;
using greentrain::errc;
using greentrain::Location;
using greentrain::ProviderFault;
using greentrain::SystemTime;
using greentrain::WattTimeOptions;
using greentrain::WattTimeProvider;
using greentrain::test::read_fixture;
using greentrain::test::ReplayServer;
using greentrain::test::respond;
using greentrain::test::SeenRequest;
using greentrain::test::utc;

namespace {

constexpr const char* password = "wt-secret-pw-93x";

struct Fixture {
  ReplayServer server;
  SystemTime now = utc(2022, 7, 15, 0, 1);

  Fixture() {
    server.on("/login", respond(200, read_fixture("wt_login.json")));
    server.on("/v3/forecast", respond(200, read_fixture("wt_forecast.json")));
  }

  WattTimeOptions options() {
    WattTimeOptions o;
    o.base_url = server.base_url();
    o.username = "greentrain";
    o.password = password;
    o.http = server.client_options();
    o.clock = [this] { return now; };
    return o;
  }
};

}  // namespace

TEST_CASE("a forecast is converted from lbs/MWh to g/kWh and labelled marginal", "[watttime]") {
  Fixture f;
  WattTimeProvider wt(f.options());
  ProviderFault fault;
  auto forecast = wt.forecast("CAISO_NORTH", fault);
  REQUIRE_FALSE(fault);
  REQUIRE(forecast.points.size() == 2);
  CHECK(forecast.points[0].intensity.value == Approx(394.62504));
  CHECK(forecast.points[0].duration == 300s);
  CHECK(forecast.points[1].time == utc(2022, 7, 15, 0, 5));
  CHECK(forecast.signal == greentrain::Signal::marginal);
  auto seen = f.server.seen();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].target == "/login");
  CHECK(seen[0].headers["authorization"] == "Basic Z3JlZW50cmFpbjp3dC1zZWNyZXQtcHctOTN4");
  CHECK(seen[1].target == "/v3/forecast?region=CAISO_NORTH&signal_type=co2_moer&horizon_hours=24");
  CHECK(seen[1].headers["authorization"] == "Bearer abcdef0123456789fedcabc");
}

TEST_CASE("intensity_at now reads the nowcast as a marginal figure", "[watttime]") {
  Fixture f;
  WattTimeProvider wt(f.options());
  auto reading = wt.intensity_at(Location::zone("CAISO_NORTH"), f.now);
  CHECK(reading.intensity.value == Approx(870 * 0.453592));
  CHECK(reading.signal == greentrain::Signal::marginal);
  CHECK(reading.provenance.source ==
        "WattTime co2_moer forecast (marginal: what one more kWh emits), region CAISO_NORTH, "
        "2022-07-15T00:00:00Z");
}

TEST_CASE("a past time reads historical data", "[watttime]") {
  Fixture f;
  f.server.on("/v3/historical", respond(200, read_fixture("wt_historical.json")));
  f.now = utc(2022, 7, 16, 0);
  WattTimeProvider wt(f.options());
  auto reading = wt.intensity_at(Location::zone("CAISO_NORTH"), utc(2022, 7, 15, 0, 7));
  CHECK(reading.intensity.value == Approx(860 * 0.453592));
  CHECK(reading.provenance.basis == greentrain::Basis::measured);
  CHECK(f.server.seen().back().target ==
        "/v3/historical?region=CAISO_NORTH&signal_type=co2_moer&start=2022-07-15T00%3A02%3A00Z&"
        "end=2022-07-15T00%3A12%3A00Z");
}

TEST_CASE("an expired token (401) is renewed once and the call succeeds", "[watttime][fault]") {
  Fixture f;
  f.server.on("/login", greentrain::test::in_turn({respond(200, R"({"token":"old"})"),
                                                   respond(200, R"({"token":"new"})")}));
  f.server.on("/v3/forecast", [](const SeenRequest& request) {
    return request.headers.at("authorization") == "Bearer new"
               ? respond(200, read_fixture("wt_forecast.json"))
               : respond(401, "{}");
  });
  WattTimeProvider wt(f.options());
  ProviderFault fault;
  auto forecast = wt.forecast("CAISO_NORTH", fault);
  CHECK_FALSE(fault);
  CHECK(forecast.points.size() == 2);
  CHECK(f.server.hits("/login") == 2);
  CHECK(f.server.hits("/v3/forecast") == 2);
}

TEST_CASE("the credentials and the login token are redacted from every text once known",
          "[watttime][secrets]") {
  Fixture f;
  f.server.on("/login", respond(200, R"({"token":"wt-token-5c8e21"})"));
  WattTimeProvider wt(f.options());
  CHECK(greentrain::detail::redact(password) == "[redacted]");
  CHECK(greentrain::detail::redact("wt-token-5c8e21") == "wt-token-5c8e21");  // not yet known
  ProviderFault fault;
  wt.forecast("CAISO_NORTH", fault);
  CHECK_FALSE(fault);
  CHECK(greentrain::detail::redact("token wt-token-5c8e21") == "token [redacted]");
}

TEST_CASE("the token is kept for its 30 minutes and renewed after", "[watttime]") {
  Fixture f;
  WattTimeProvider wt(f.options());
  ProviderFault fault;
  wt.forecast("CAISO_NORTH", fault);
  f.now += 20min;
  wt.forecast("CAISO_NORTH", fault);
  CHECK(f.server.hits("/login") == 1);
  f.now += 11min;
  wt.forecast("CAISO_NORTH", fault);
  CHECK_FALSE(fault);
  CHECK(f.server.hits("/login") == 2);
}

TEST_CASE("refused credentials are explained without the password", "[watttime][fault]") {
  Fixture f;
  f.server.on("/login", respond(401, std::string(R"({"error":"bad password )") + password + "\"}"));
  WattTimeProvider wt(f.options());
  ProviderFault fault;
  wt.intensity_at(Location::zone("CAISO_NORTH"), f.now, fault);
  CHECK(fault.code == errc::unauthorized);
  auto text = fault.reason;
  CHECK(text.find("check WATTTIME_USERNAME and WATTTIME_PASSWORD") != std::string::npos);
  CHECK(text.find(password) == std::string::npos);
  CHECK(text.find("Z3JlZW50cmFpbjp3dC1zZWNyZXQtcHctOTN4") == std::string::npos);
  CHECK(f.server.hits("/v3/forecast") == 0);
}

TEST_CASE("missing credentials are explained before any request", "[watttime][fault]") {
  Fixture f;
  auto options = f.options();
  options.password.clear();
  WattTimeProvider wt(options);
  ProviderFault fault;
  wt.forecast("CAISO_NORTH", fault);
  CHECK(fault.code == errc::unauthorized);
  CHECK(fault.reason ==
        "WattTime: no credentials: WATTTIME_USERNAME and WATTTIME_PASSWORD are not set, so no "
        "live figure was asked for; set both (or WattTimeOptions::username and password)");
  CHECK(f.server.connections() == 0);
}

TEST_CASE("an nginx 403 page on a data call is unauthorized after one renewal",
          "[watttime][fault]") {
  Fixture f;
  auto forbidden = respond(403, read_fixture("wt_403.html"));
  forbidden.content_type = "text/html";
  f.server.on("/v3/forecast", forbidden);
  WattTimeProvider wt(f.options());
  ProviderFault fault;
  auto forecast = wt.forecast("PJM", fault);
  CHECK(fault.code == errc::unauthorized);
  CHECK(forecast.points.empty());
  CHECK(f.server.hits("/login") == 2);
  CHECK(fault.reason.find("CAISO_NORTH only") != std::string::npos);
}

TEST_CASE("a series in other units is refused rather than mislabelled", "[watttime][fault]") {
  Fixture f;
  f.server.on("/v3/forecast", respond(200, read_fixture("wt_signal_index.json")));
  WattTimeProvider wt(f.options());
  ProviderFault fault;
  wt.forecast("PSCO", fault);
  CHECK(fault.code == errc::malformed_data);
  CHECK(fault.reason.find("'percentile'") != std::string::npos);
}

TEST_CASE("signal-index reads the percentile", "[watttime]") {
  Fixture f;
  f.server.on("/v3/signal-index", respond(200, read_fixture("wt_signal_index.json")));
  WattTimeProvider wt(f.options());
  ProviderFault fault;
  auto index = wt.signal_index("PSCO", fault);
  REQUIRE_FALSE(fault);
  CHECK(index.percentile == 96.0);
  CHECK(index.time == utc(2024, 6, 18, 18, 40));
}

TEST_CASE("region-from-loc names the region; outside coverage says so", "[watttime]") {
  Fixture f;
  f.server.on("/v3/region-from-loc", [](const SeenRequest& request) {
    return request.target.find("latitude=0&") != std::string::npos
               ? respond(404, read_fixture("wt_no_coverage.json"))
               : respond(200, read_fixture("wt_region.json"));
  });
  WattTimeProvider wt(f.options());
  ProviderFault fault;
  auto region = wt.region_from_location(42.37, -72.52, fault);
  REQUIRE_FALSE(fault);
  CHECK(region.region == "ISONE_WCMA");
  CHECK(region.full_name == "ISONE Western/Central Massachusetts");
  CHECK(f.server.seen().back().target ==
        "/v3/region-from-loc?latitude=42.37&longitude=-72.52&signal_type=co2_moer");
  wt.region_from_location(0, 0, fault);
  CHECK(fault.code == errc::http_error);
}

TEST_CASE("a cloud region is not a WattTime region", "[watttime]") {
  Fixture f;
  WattTimeProvider wt(f.options());
  ProviderFault fault;
  wt.intensity_at(Location::cloud("gcp", "us-west1"), f.now, fault);
  CHECK(fault.code == errc::unknown_location);
  CHECK(f.server.seen().empty());
}

TEST_CASE("a region name echoing the password is scrubbed, and a MOER above any grid's is refused",
          "[watttime][fault][secrets]") {
  Fixture f;
  auto options = f.options();
  f.server.on("/v3/region-from-loc",
              respond(200, R"({"region":"CAISO_NORTH","region_full_name":"North )" +
                               options.password + R"(","signal_type":"co2_moer"})"));
  f.server.on("/v3/forecast",
              respond(200, R"({"data":[{"point_time":"2024-03-06T19:00:00+00:00","value":2e6}],)"
                           R"("meta":{"units":"lbs_co2_per_mwh","region":"CAISO_NORTH"}})"));
  WattTimeProvider wt(options);
  ProviderFault fault;
  auto region = wt.region_from_location(38.0, -122.0, fault);
  REQUIRE_FALSE(fault);
  CHECK(region.full_name == "North [redacted]");
  wt.forecast("CAISO_NORTH", fault);
  CHECK(fault.code == errc::malformed_data);
  CHECK(fault.reason.find("2e+06 lbs/MWh is refused") != std::string::npos);
}
