#include "greentrain/region_picker.hpp"

#include <catch2/catch.hpp>

#include "greentrain/error.hpp"
#include "greentrain/intensity/embedded.hpp"
#include "support/forecast_table.hpp"

using namespace greentrain;
using namespace std::chrono;
using greentrain::testing::ForecastTable;
using greentrain::testing::series;

namespace {

const SystemTime t0 = sys_days{2024y / June / 1};
const GeoPoint paris{48.86, 2.35};

RegionCatalog small_catalog() {
  return RegionCatalog({
      {"aws", "eu-west-3", "Paris", "FR", GeoPoint{48.86, 2.35}, 1.135, std::nullopt},
      {"gcp", "europe-west9", "Paris", "FR", GeoPoint{48.86, 2.35}, 1.1, 0.96},
      {"azure", "germanywestcentral", "Frankfurt", "DE", GeoPoint{50.11, 8.68}, 1.185,
       std::nullopt},
      {"aws", "us-east-1", "Virginia", "US-MIDA-PJM", GeoPoint{38.75, -78.13}, 1.135, std::nullopt},
  });
}

ForecastTable table() {
  ForecastTable t;
  t.forecasts["eu-west-3"] = series(t0, 1h, {100, 100, 100, 100, 100, 100});
  t.forecasts["europe-west9"] = series(t0, 1h, {80, 120, 200, 200, 10, 10});
  t.readings["germanywestcentral"] = 300;
  t.readings["us-east-1"] = 400;
  return t;
}

std::vector<std::string> keys(const RegionRanking& ranking) {
  std::vector<std::string> out;
  for (const auto& e : ranking.ranked) out.push_back(e.region.key());
  return out;
}

}  // namespace

TEST_CASE("regions rank by intensity expected over the job times PUE", "[picker]") {
  auto catalog = small_catalog();
  auto provider = table();
  RegionPicker picker(provider, catalog);
  auto ranking = picker.rank({t0, 2h, std::nullopt});
  CHECK(keys(ranking) == std::vector<std::string>{"gcp:europe-west9", "aws:eu-west-3",
                                                  "azure:germanywestcentral", "aws:us-east-1"});
  const auto& best = ranking.ranked[0];
  CHECK(best.intensity.value == Approx(100));  // (80 + 120) / 2 over the two-hour job
  CHECK(best.effective.value == Approx(110));
  CHECK(best.from_forecast);
  CHECK(!ranking.ranked[2].from_forecast);
  CHECK(ranking.ranked[2].effective.value == Approx(300 * 1.185));
  CHECK(best.why.find("gcp:europe-west9 (Paris): 100 g/kWh averaged over the job") == 0);
}

TEST_CASE("PUE can change the order of equal grids", "[picker]") {
  RegionCatalog catalog({{"a", "one", "", "FR", std::nullopt, 1.5, std::nullopt},
                         {"b", "two", "", "FR", std::nullopt, 1.1, std::nullopt}});
  ForecastTable provider;
  provider.readings = {{"one", 100}, {"two", 100}};
  auto ranking = RegionPicker(provider, catalog).rank({t0, 1h, std::nullopt});
  CHECK(keys(ranking) == std::vector<std::string>{"b:two", "a:one"});
}

TEST_CASE("a later start changes the expected intensity over the job", "[picker]") {
  auto catalog = small_catalog();
  auto provider = table();
  auto ranking = RegionPicker(provider, catalog).rank({t0 + 4h, 2h, std::nullopt});
  CHECK(ranking.ranked[0].region.key() == "gcp:europe-west9");
  CHECK(ranking.ranked[0].intensity.value == Approx(10));
}

TEST_CASE("constraints filter providers, countries, zones and excluded regions", "[picker]") {
  auto catalog = small_catalog();
  auto provider = table();
  RegionPicker picker(provider, catalog);
  Job job{t0, 1h, std::nullopt};
  PickerOptions aws_only;
  aws_only.constraints.providers = {"AWS"};
  CHECK(keys(picker.rank(job, aws_only)) ==
        std::vector<std::string>{"aws:eu-west-3", "aws:us-east-1"});
  PickerOptions residency;
  residency.constraints.countries = {"DEU", "us"};
  CHECK(keys(picker.rank(job, residency)) ==
        std::vector<std::string>{"azure:germanywestcentral", "aws:us-east-1"});
  PickerOptions zones;
  zones.constraints.zones = {"fr"};
  zones.constraints.excluded = {"gcp:europe-west9"};
  auto ranking = picker.rank(job, zones);
  CHECK(keys(ranking) == std::vector<std::string>{"aws:eu-west-3"});
  REQUIRE(ranking.skipped.size() == 3);
  CHECK(ranking.skipped[0].reason == "excluded");
}

TEST_CASE("a distance limit keeps regions near a point", "[picker]") {
  auto catalog = small_catalog();
  auto provider = table();
  PickerOptions near;
  near.constraints.near = paris;
  near.constraints.max_km = 600;
  auto ranking = RegionPicker(provider, catalog).rank({t0, 1h, std::nullopt}, near);
  CHECK(keys(ranking) ==
        std::vector<std::string>{"gcp:europe-west9", "aws:eu-west-3", "azure:germanywestcentral"});
  CHECK(*ranking.ranked[2].distance_km == Approx(479).margin(5));
  auto far = std::find_if(ranking.skipped.begin(), ranking.skipped.end(),
                          [](auto& s) { return s.region == "aws:us-east-1"; });
  REQUIRE(far != ranking.skipped.end());
  CHECK(far->reason.ends_with("km away, limit 600 km"));
}

TEST_CASE("the estimate gives energy with PUE and CO2e before the run", "[picker]") {
  auto catalog = small_catalog();
  auto provider = table();
  PickerOptions only;
  only.constraints.excluded = {"gcp:europe-west9", "azure:germanywestcentral", "aws:us-east-1"};
  auto ranking = RegionPicker(provider, catalog).rank({t0, 4h, Watts{300}}, only);
  REQUIRE(ranking.ranked.size() == 1);
  const auto& paris_aws = ranking.ranked[0];
  CHECK(paris_aws.energy->value == Approx(0.3 * 4 * 1.135));
  CHECK(paris_aws.emissions->value == Approx(0.3 * 4 * 1.135 * 100));
}

TEST_CASE("the saving is stated against the user's baseline region", "[picker]") {
  auto catalog = small_catalog();
  auto provider = table();
  PickerOptions options;
  options.baseline = "aws:us-east-1";
  options.constraints.providers = {"gcp"};
  auto ranking = RegionPicker(provider, catalog).rank({t0, 1h, std::nullopt}, options);
  REQUIRE(ranking.baseline);
  CHECK(ranking.baseline->effective.value == Approx(454));
  const auto& best = ranking.ranked.at(0);
  CHECK(*best.saving_vs_baseline == Approx(1 - 88 / 454.0));
  CHECK(best.why.find("81 % less than baseline aws:us-east-1 (454 g/kWh)") != std::string::npos);
  options.baseline = "aws:us-east-9";
  CHECK_THROWS_WITH(RegionPicker(provider, catalog).rank({t0, 1h, std::nullopt}, options),
                    Catch::Contains("nearest: aws:us-east-1"));
}

TEST_CASE("a price weight trades carbon against the user's price", "[picker]") {
  auto catalog = small_catalog();
  auto provider = table();
  PickerOptions options;
  options.constraints.zones = {"FR"};
  options.price.price_per_hour = {{"gcp:europe-west9", 3.0}, {"aws:eu-west-3", 1.0}};
  options.price.weight = 20;  // 1 per hour is worth 20 g/kWh
  auto ranking = RegionPicker(provider, catalog).rank({t0, 1h, std::nullopt}, options);
  CHECK(keys(ranking) == std::vector<std::string>{"aws:eu-west-3", "gcp:europe-west9"});
  CHECK(ranking.ranked[0].score == Approx(113.5 + 20));
  CHECK(ranking.ranked[1].score == Approx(88 + 60));
}

TEST_CASE("regions the provider cannot serve are skipped with its explanation", "[picker]") {
  auto catalog = small_catalog();
  ForecastTable provider;
  provider.readings["eu-west-3"] = 50;
  auto ranking = RegionPicker(provider, catalog).rank({t0, 1h, std::nullopt});
  CHECK(keys(ranking) == std::vector<std::string>{"aws:eu-west-3"});
  CHECK(ranking.skipped.size() == 3);
  CHECK(ranking.skipped[0].reason.find("cloud region gcp:europe-west9") != std::string::npos);
}

TEST_CASE("marginal and average signals are never ranked together", "[picker]") {
  auto catalog = small_catalog();
  auto provider = table();
  provider.marginal = {"germanywestcentral"};
  auto ranking = RegionPicker(provider, catalog).rank({t0, 1h, std::nullopt});
  CHECK(keys(ranking) ==
        std::vector<std::string>{"gcp:europe-west9", "aws:eu-west-3", "aws:us-east-1"});
  REQUIRE(ranking.skipped.size() == 1);
  CHECK(ranking.skipped[0].reason == "marginal signal is not comparable with average");
  provider.marginal = {"eu-west-3", "europe-west9", "germanywestcentral", "us-east-1"};
  auto all_marginal = RegionPicker(provider, catalog).rank({t0, 1h, std::nullopt});
  CHECK(all_marginal.ranked.size() == 4);
  CHECK(all_marginal.ranked[0].signal == Signal::marginal);
}

TEST_CASE("the joint plan finds the best region and start before the deadline", "[picker]") {
  auto catalog = small_catalog();
  auto provider = table();
  auto plans = RegionPicker(provider, catalog).plan({t0, 2h, std::nullopt}, t0 + 6h).placements;
  REQUIRE(plans.size() == 4);
  CHECK(plans[0].estimate.region.key() == "gcp:europe-west9");
  CHECK(plans[0].start == t0 + 4h);
  CHECK(plans[0].estimate.effective.value == Approx(11));
  CHECK(plans[0].effective_at_job_start.value == Approx(110));
  CHECK(plans[1].estimate.region.key() == "aws:eu-west-3");
  CHECK(plans[1].tied_starts.size() == 5);  // a flat forecast: every start ties
  CHECK(plans[2].start == t0);              // no forecast: the job start is kept
  CHECK_THROWS_AS(RegionPicker(provider, catalog).plan({t0, 2h, std::nullopt}, t0 + 1h), error);
}

TEST_CASE("the joint plan stops at the forecast's end and says why a region has none", "[picker]") {
  auto catalog = small_catalog();
  auto provider = table();
  provider.readings.erase("us-east-1");
  provider.forecasts["eu-west-3"].resize(1);  // one hour: too short for the job
  PickerOptions options;
  options.constraints.excluded = {"azure:germanywestcentral"};
  auto plan = RegionPicker(provider, catalog).plan({t0, 2h, std::nullopt}, t0 + 8h, options);
  REQUIRE(plan.placements.size() == 1);  // the forecast ends at t0 + 6h, before the deadline
  CHECK(plan.placements[0].start == t0 + 4h);
  REQUIRE(plan.skipped.size() == 3);
  CHECK(plan.skipped[0].region == "aws:eu-west-3");
  CHECK(plan.skipped[1].reason == "excluded");
  CHECK(plan.skipped[2].reason.find("cloud region aws:us-east-1") != std::string::npos);
}

TEST_CASE("offline ranking in France puts the region with the lowest PUE first", "[picker]") {
  EmbeddedProvider embedded;
  RegionPicker picker(embedded);
  PickerOptions france;
  france.constraints.countries = {"FRA"};
  auto ranking = picker.rank({t0, 4h, Watts{200}}, france);
  REQUIRE(!ranking.ranked.empty());
  CHECK(ranking.ranked[0].region.key() == "gcp:europe-west9");
  CHECK(ranking.ranked[0].effective.value == Approx(31 * 1.1));  // same zone, GCP's PUE is lowest
  for (const auto& e : ranking.ranked) CHECK(e.region.country_iso2() == "FR");
  auto all = picker.rank({t0, 1h, std::nullopt});
  CHECK(all.ranked.size() == 150);
  CHECK(all.skipped.empty());
}
