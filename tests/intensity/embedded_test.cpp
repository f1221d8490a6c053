#include "greentrain/intensity/embedded.hpp"

#include <catch2/catch.hpp>

#include "greentrain/error.hpp"
#include "intensity/embedded_tables.hpp"

using namespace greentrain;

namespace {

IntensityReading read(const Location& location) {
  EmbeddedProvider provider;
  return provider.intensity_at(location, SystemTime{});
}

std::string failure(const Location& location) {
  EmbeddedProvider provider;
  try {
    provider.intensity_at(location, SystemTime{});
  } catch (const error& e) {
    CHECK(e.code() == errc::unknown_location);
    return e.what();
  }
  FAIL("no error for " << to_string(location));
  return {};
}

}  // namespace

TEST_CASE("zone lookup gives the Electricity Maps 2025 yearly average", "[intensity]") {
  auto fr = read(Location::zone("FR"));
  CHECK(fr.intensity.value == 31);
  CHECK(fr.signal == Signal::average);
  CHECK(fr.provenance.basis == Basis::default_table);
  CHECK(fr.provenance.source == "Electricity Maps 2025 yearly average, zone FR");
  CHECK(read(Location::zone("us-cal-ciso")).intensity.value == 208);
}

TEST_CASE("a zone reading spans the year of its figure", "[intensity]") {
  using namespace std::chrono;
  auto fr = read(Location::zone("FR"));
  CHECK(fr.valid_from == sys_days{2025y / January / 1});
  CHECK(fr.valid_until == sys_days{2026y / January / 1});
}

TEST_CASE("a zone missing in 2025 falls back to its 2024 figure", "[intensity]") {
  detail::EmbeddedTables tables;
  tables.zones_2024["XX"] = {"Old zone", 250, std::nullopt, 2024};
  tables.zones_2025["YY"] = {"New zone", 100, std::nullopt, 2025};
  REQUIRE(detail::find_zone(tables, "XX"));
  CHECK(detail::find_zone(tables, "XX")->year == 2024);
  CHECK(detail::find_zone(tables, "YY")->intensity_g_per_kwh == 100);
  CHECK(detail::find_zone(tables, "ZZ") == nullptr);
}

TEST_CASE("country lookup by ISO-3 or ISO-2 gives Ember's figure and year", "[intensity]") {
  auto by_iso3 = read(Location::country("FRA"));
  auto by_iso2 = read(Location::country("fr"));
  CHECK(by_iso3.intensity.value == Approx(44.18));
  CHECK(by_iso2.intensity.value == Approx(44.18));
  CHECK(by_iso3.provenance.source == "Ember 2024 yearly average, country FRA");
  CHECK(read(Location::country("World")).intensity.value == Approx(472.94));
}

TEST_CASE("a country Ember lacks uses the Electricity Maps zone of its ISO-2 code", "[intensity]") {
  auto gibraltar = read(Location::country("GIB"));
  CHECK(gibraltar.provenance.source.starts_with("Electricity Maps 2025 yearly average, zone GI"));
  CHECK(gibraltar.provenance.source.find("Ember has no figure for GIB") != std::string::npos);
}

TEST_CASE("a gcp region uses its zone's lifecycle figure, Google's own figure beside it",
          "[intensity]") {
  auto paris = read(Location::cloud("gcp", "europe-west9"));
  CHECK(paris.intensity.value == 31);  // like aws:eu-west-3: one basis for every provider
  CHECK(paris.provenance.source.starts_with("Electricity Maps 2025 yearly average, zone FR"));
  CHECK(paris.provenance.source.find("Google's own 2024 operational figure 16 g/kWh, CFE 96 %") !=
        std::string::npos);
}

TEST_CASE("a Google region with no mapped zone uses Google's figure and says so", "[intensity]") {
  auto oklahoma = read(Location::cloud("gcp", "us-central2"));
  CHECK(oklahoma.intensity.value > 0);
  CHECK(oklahoma.provenance.source.find("operational emissions only") != std::string::npos);
}

TEST_CASE("an aws region uses the zone of its data centre", "[intensity]") {
  auto paris = read(Location::cloud("aws", "eu-west-3"));
  CHECK(paris.intensity.value == 31);
  CHECK(paris.provenance.source ==
        "Electricity Maps 2025 yearly average, zone FR (region aws:eu-west-3 is in that zone)");
  CHECK(read(Location::cloud("azure", "francecentral")).intensity.value == 31);
}

TEST_CASE("an unknown zone names the nearest zones", "[intensity]") {
  auto text = failure(Location::zone("FX"));
  CHECK(text.starts_with("unknown zone 'FX'; nearest: F"));
  CHECK(text.find("FR") != std::string::npos);
  CHECK(text.find("`greentrain regions --zones`") != std::string::npos);
}

TEST_CASE("an unknown country and cloud region name their nearest keys", "[intensity]") {
  CHECK(failure(Location::country("FRX")).find("FRA") != std::string::npos);
  auto region = failure(Location::cloud("gcp", "europe-west99"));
  CHECK(region.starts_with("unknown cloud region 'gcp:europe-west99'; nearest: gcp:europe-west9"));
  CHECK(failure(Location::cloud("aws", "eu-west-9")).find("aws:eu-west-3") != std::string::npos);
}

TEST_CASE("the error-code form reports unknown_location without throwing", "[intensity]") {
  EmbeddedProvider provider;
  ProviderFault fault;
  provider.intensity_at(Location::zone("NOPE"), SystemTime{}, fault);
  CHECK(fault.code == errc::unknown_location);
  provider.intensity_at(Location::zone("DE"), SystemTime{}, fault);
  CHECK(!fault);
}

TEST_CASE("resolving a cloud region fills zone, country, position and PUE", "[intensity]") {
  EmbeddedProvider provider;
  auto where = provider.resolve(Location::cloud("aws", "eu-west-3"));
  CHECK(where.zone == "FR");
  CHECK(where.zone_name == "France");
  CHECK(where.country_iso3 == "FRA");
  CHECK(where.country_name == "France");
  CHECK(where.cloud_provider == "aws");
  CHECK(where.cloud_region == "eu-west-3");
  REQUIRE(where.latitude);
  CHECK(*where.latitude == Approx(48.8575));
  CHECK(where.default_pue == Approx(1.135));
}

TEST_CASE("resolving a zone or a country keeps PUE 1.0 on premises", "[intensity]") {
  EmbeddedProvider provider;
  auto caiso = provider.resolve(Location::zone("US-CAL-CISO"));
  CHECK(caiso.zone_name == "California ISO");
  CHECK(caiso.country_iso3 == "USA");
  CHECK(caiso.default_pue == 1.0);
  auto germany = provider.resolve(Location::country("DE"));
  CHECK(germany.country_iso3 == "DEU");
  CHECK(germany.country_name == "Germany");
  CHECK(germany.zone.empty());
  CHECK_THROWS_AS(provider.resolve(Location::zone("QQ")), error);
  ProviderFault fault;
  provider.resolve(Location::country("QQQ"), fault);
  CHECK(fault.code == errc::unknown_location);
}
