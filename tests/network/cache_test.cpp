#include "greentrain/intensity/cache.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "greentrain/error.hpp"
#include "network/fake_provider.hpp"
#include "network/utc.hpp"

using namespace std::chrono_literals;
using greentrain::CachedProvider;
using greentrain::CacheOptions;
using greentrain::errc;
using greentrain::Location;
using greentrain::ProviderFault;
using greentrain::SystemTime;
using greentrain::test::FakeProvider;

namespace {

struct Fixture {
  std::shared_ptr<FakeProvider> live = std::make_shared<FakeProvider>("Electricity Maps", 56.0);
  SystemTime now = greentrain::test::utc(2024, 3, 6, 19, 10);
  CacheOptions options() {
    CacheOptions o;
    o.ttl = 15min;
    o.max_stale = 24h;
    o.clock = [this] { return now; };
    return o;
  }
};

std::filesystem::path temporary_file(const char* name) {
  return std::filesystem::temp_directory_path() /
         (std::string(name) + "-" + std::to_string(::getpid()) + ".json");
}

}  // namespace

TEST_CASE("a fresh answer is served from memory with its age", "[cache]") {
  Fixture f;
  CachedProvider cache(f.live, f.options());
  auto first = cache.intensity_at(Location::zone("FR"), f.now);
  f.now += 5min;
  auto second = cache.intensity_at(Location::zone("FR"), f.now);
  CHECK(f.live->calls == 1);
  CHECK(first.age == 0s);
  CHECK(second.age == 300s);
  CHECK(second.intensity.value == 56.0);
  CHECK(second.provenance.source == "Electricity Maps FR, cached 5 min ago");
  CHECK_FALSE(second.provenance.degraded);
}

TEST_CASE("after the TTL the provider is asked again", "[cache]") {
  Fixture f;
  CachedProvider cache(f.live, f.options());
  cache.intensity_at(Location::zone("FR"), f.now);
  f.now += 16min;
  f.live->figure = 60.0;
  auto reading = cache.intensity_at(Location::zone("FR"), f.now);
  CHECK(f.live->calls == 2);
  CHECK(reading.intensity.value == 60.0);
  CHECK(reading.age == 0s);
}

TEST_CASE("a reading for another hour is not served from the cache", "[cache]") {
  Fixture f;
  CachedProvider cache(f.live, f.options());
  cache.intensity_at(Location::zone("FR"), f.now);
  cache.intensity_at(Location::zone("FR"), f.now + 1h);
  CHECK(f.live->calls == 2);
}

TEST_CASE("when the provider fails an expired answer is served, degraded and aged", "[cache]") {
  Fixture f;
  CachedProvider cache(f.live, f.options());
  cache.intensity_at(Location::zone("FR"), f.now);
  f.now += 40min;
  f.live->failure = errc::timeout;
  f.live->failure_text = "Electricity Maps: cannot resolve api.electricitymap.org: no answer";
  ProviderFault fault;
  auto reading = cache.intensity_at(Location::zone("FR"), f.now - 30min, fault);
  REQUIRE_FALSE(fault);
  CHECK(reading.intensity.value == 56.0);
  CHECK(reading.age == 2400s);
  CHECK(reading.provenance.degraded);
  CHECK(reading.provenance.source ==
        "Electricity Maps FR, cached 40 min ago (Electricity Maps unavailable: cannot resolve "
        "api.electricitymap.org: no answer)");
}

TEST_CASE("an answer older than max_stale is not served; the failure is passed on", "[cache]") {
  Fixture f;
  CachedProvider cache(f.live, f.options());
  cache.intensity_at(Location::zone("FR"), f.now);
  f.now += 25h;
  f.live->failure = errc::network_error;
  ProviderFault fault;
  cache.intensity_at(Location::zone("FR"), f.now - 25h, fault);
  CHECK(fault.code == errc::network_error);
  CHECK(fault.reason == "fake failure");
}

TEST_CASE("the cache file survives a restart and leaves no temporary file", "[cache]") {
  Fixture f;
  auto file = temporary_file("greentrain-cache");
  auto options = f.options();
  options.file = file;
  {
    CachedProvider cache(f.live, options);
    cache.intensity_at(Location::zone("FR"), f.now);
  }
  auto offline = std::make_shared<FakeProvider>("Electricity Maps", 999.0);
  offline->failure = errc::network_error;
  f.now += 2min;
  CachedProvider restarted(offline, options);
  auto reading = restarted.intensity_at(Location::zone("FR"), f.now);
  CHECK(reading.intensity.value == 56.0);
  CHECK(reading.age == 120s);
  CHECK(offline->calls == 0);
  int files = 0;
  for (auto& entry : std::filesystem::directory_iterator(file.parent_path())) {
    if (entry.path().filename().string().starts_with(file.filename().string())) ++files;
  }
  CHECK(files == 1);
  std::filesystem::remove(file);
}

TEST_CASE("a damaged cache file starts an empty cache", "[cache]") {
  Fixture f;
  auto file = temporary_file("greentrain-cache-damaged");
  std::ofstream(file) << "[{\"location\":\"zone FR\",\"intensity\":";
  auto options = f.options();
  options.file = file;
  CachedProvider cache(f.live, options);
  auto reading = cache.intensity_at(Location::zone("FR"), f.now);
  CHECK(f.live->calls == 1);
  CHECK(reading.intensity.value == 56.0);
  std::filesystem::remove(file);
}

TEST_CASE("a cached forecast is served within its TTL and degraded after a failure", "[cache]") {
  Fixture f;
  CachedProvider cache(f.live, f.options());
  auto from = f.now, to = f.now + 4h;
  auto first = cache.forecast(Location::zone("FR"), from, to);
  f.now += 1min;
  auto again = cache.forecast(Location::zone("FR"), from + 1h, to);
  CHECK(f.live->calls == 1);
  CHECK(again.points.size() == 4);  // hours 20, 21, 22, 23 overlap [20:10, 23:10)
  f.now += 1h;
  f.live->failure = errc::rate_limited;
  f.live->failure_text = "";  // the base explanation: the error's own words
  ProviderFault fault;
  auto stale = cache.forecast(Location::zone("FR"), from, to, fault);
  REQUIRE_FALSE(fault);
  CHECK(first.points.size() == 5);
  CHECK(stale.provenance.degraded);
  CHECK(stale.provenance.source.find("unavailable: rate limited") != std::string::npos);
}
