#include "greentrain/intensity/fallback.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "greentrain/error.hpp"
#include "network/fake_provider.hpp"
#include "network/utc.hpp"

using namespace std::chrono_literals;
using greentrain::errc;
using greentrain::FallbackProvider;
using greentrain::Location;
using greentrain::ProviderFault;
using greentrain::SystemTime;
using greentrain::test::FakeProvider;

namespace {

SystemTime noon() { return greentrain::test::utc(2024, 3, 6, 12); }

}  // namespace

TEST_CASE("the first provider's answer is served as it is", "[fallback]") {
  auto live = std::make_shared<FakeProvider>("Electricity Maps", 56.0);
  auto embedded = std::make_shared<FakeProvider>("embedded", 44.0);
  FallbackProvider chain({live, embedded});
  auto reading = chain.intensity_at(Location::zone("FR"), noon());
  CHECK(reading.intensity.value == 56.0);
  CHECK_FALSE(reading.provenance.degraded);
  CHECK(reading.provenance.source == "Electricity Maps FR");
  CHECK(embedded->calls == 0);
  CHECK(chain.name() == "fallback: Electricity Maps -> embedded");
}

TEST_CASE("a later provider's answer is degraded and says why the earlier ones failed",
          "[fallback]") {
  auto live = std::make_shared<FakeProvider>("Electricity Maps", 56.0);
  auto cache = std::make_shared<FakeProvider>("cache", 50.0);
  auto embedded = std::make_shared<FakeProvider>("embedded 2025 yearly", 44.0);
  live->failure = errc::timeout;
  live->failure_text = "Electricity Maps: cannot resolve api.electricitymap.org: no answer";
  cache->failure = errc::unknown_location;
  cache->failure_text = "";  // the base explanation
  FallbackProvider chain({live, cache, embedded});
  auto reading = chain.intensity_at(Location::zone("FR"), noon());
  CHECK(reading.intensity.value == 44.0);
  CHECK(reading.provenance.degraded);
  CHECK(reading.provenance.source ==
        "embedded 2025 yearly FR (Electricity Maps unreachable: cannot resolve "
        "api.electricitymap.org: no answer; cache failed: unknown zone, country or cloud region "
        "for zone FR)");
}

TEST_CASE("when every provider fails the last error is returned and explained", "[fallback]") {
  auto live = std::make_shared<FakeProvider>("Electricity Maps", 56.0);
  auto embedded = std::make_shared<FakeProvider>("embedded", 44.0);
  live->failure = errc::unauthorized;
  live->failure_text = "";
  embedded->failure = errc::unknown_location;
  embedded->failure_text = "";
  FallbackProvider chain({live, nullptr, embedded});
  ProviderFault fault;
  auto reading = chain.intensity_at(Location::zone("XX"), noon(), fault);
  CHECK(fault.code == errc::unknown_location);
  CHECK(reading.intensity.value == 0.0);
  CHECK(fault.reason ==
        "no provider could answer for zone XX: Electricity Maps failed: unauthorized for zone XX; "
        "embedded failed: unknown zone, country or cloud region for zone XX");
  CHECK_THROWS_AS(chain.intensity_at(Location::zone("XX"), noon()), greentrain::error);
}

TEST_CASE("a forecast falls back the same way", "[fallback]") {
  auto live = std::make_shared<FakeProvider>("Electricity Maps", 56.0);
  auto embedded = std::make_shared<FakeProvider>("embedded", 44.0);
  live->failure = errc::network_error;
  FallbackProvider chain({live, embedded});
  auto forecast = chain.forecast(Location::zone("FR"), noon(), noon() + 3h);
  REQUIRE(forecast.points.size() == 3);
  CHECK(forecast.points[1].intensity.value == 44.0);
  CHECK(forecast.provenance.degraded);
  CHECK(forecast.provenance.source ==
        "embedded forecast FR (Electricity Maps unreachable: fake failure)");
}

TEST_CASE("an unreachable provider is skipped until its cooldown ends", "[fallback]") {
  auto live = std::make_shared<FakeProvider>("Electricity Maps", 56.0);
  auto embedded = std::make_shared<FakeProvider>("embedded", 44.0);
  live->failure = errc::timeout;
  SystemTime now = noon();
  greentrain::FallbackOptions options;
  options.clock = [&] { return now; };
  FallbackProvider chain({live, embedded}, options);
  chain.intensity_at(Location::zone("FR"), now);
  auto skipped = chain.intensity_at(Location::zone("DE"), now);
  CHECK(live->calls == 1);
  CHECK(skipped.intensity.value == 44.0);
  CHECK(skipped.provenance.source == "embedded DE (Electricity Maps unreachable: fake failure)");
  now += 61s;
  live->failure.clear();
  auto back = chain.intensity_at(Location::zone("FR"), now);
  CHECK(live->calls == 2);
  CHECK(back.intensity.value == 56.0);
  CHECK_FALSE(back.provenance.degraded);
}

TEST_CASE("a failure for one place does not make the provider skipped", "[fallback]") {
  auto live = std::make_shared<FakeProvider>("Electricity Maps", 56.0);
  auto embedded = std::make_shared<FakeProvider>("embedded", 44.0);
  live->failure = errc::unknown_location;
  FallbackProvider chain({live, embedded});
  chain.intensity_at(Location::zone("XX"), noon());
  chain.intensity_at(Location::zone("FR"), noon());
  CHECK(live->calls == 2);
}

TEST_CASE("error statuses in a row make the provider skipped, for that question only",
          "[fallback]") {
  auto live = std::make_shared<FakeProvider>("Electricity Maps", 56.0);
  auto embedded = std::make_shared<FakeProvider>("embedded", 44.0);
  live->failure = errc::http_error;
  FallbackProvider chain({live, embedded});
  for (auto zone : {"FR", "DE", "ES", "IT"}) chain.intensity_at(Location::zone(zone), noon());
  CHECK(live->calls == 3);
  chain.forecast(Location::zone("FR"), noon(), noon() + 1h);
  CHECK(live->calls == 4);
}

TEST_CASE("an impossible figure is refused and the next provider answers, saying why",
          "[fallback]") {
  auto live = std::make_shared<FakeProvider>("Electricity Maps", 1e300);
  auto embedded = std::make_shared<FakeProvider>("embedded", 44.0);
  FallbackProvider chain({live, embedded});
  auto reading = chain.intensity_at(Location::zone("FR"), noon());
  CHECK(reading.intensity.value == 44.0);
  CHECK(reading.provenance.degraded);
  CHECK(reading.provenance.source ==
        "embedded FR (Electricity Maps refused: it answered an impossible figure (1e+300 g/kWh is "
        "outside 0 to 5000 g/kWh))");
  live->figure = std::nan("");
  auto forecast = chain.forecast(Location::zone("FR"), noon(), noon() + 2h);
  CHECK(forecast.points.at(0).intensity.value == 44.0);
  CHECK(forecast.provenance.source.find("2024-03-06T12:00:00Z: the intensity is not a number") !=
        std::string::npos);
}

TEST_CASE("a last resort without forecasts does not hide the failure before it", "[fallback]") {
  auto live = std::make_shared<FakeProvider>("Electricity Maps", 56.0);
  auto embedded = std::make_shared<FakeProvider>("embedded", 44.0);
  live->failure = errc::unauthorized;
  live->failure_text = "Electricity Maps: no API key: ELECTRICITYMAPS_API_KEY is not set";
  embedded->failure = errc::unsupported;
  embedded->failure_text = "";
  FallbackProvider chain({live, embedded});
  ProviderFault fault;
  chain.forecast(Location::zone("FR"), noon(), noon() + 2h, fault);
  CHECK(fault.code == errc::unauthorized);
  CHECK(fault.reason.find("ELECTRICITYMAPS_API_KEY is not set") != std::string::npos);
}
