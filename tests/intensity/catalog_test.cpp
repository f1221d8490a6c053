#include "greentrain/intensity/catalog.hpp"

#include <catch2/catch.hpp>

using namespace greentrain;

TEST_CASE("default PUE follows each provider's published figure", "[intensity]") {
  CHECK(default_pue("aws") == 1.135);
  CHECK(default_pue("gcp") == 1.1);
  CHECK(default_pue("gcp", "us-central1") == 1.11);
  CHECK(default_pue("gcp", "europe-west1") == 1.09);
  CHECK(default_pue("GCP", "europe-west4") == 1.07);
  CHECK(default_pue("azure") == 1.185);
  CHECK(default_pue("ovh") == 1.56);
  CHECK(default_pue("") == 1.0);
}

TEST_CASE("the embedded catalog holds AWS, GCP and Azure regions with zones", "[intensity]") {
  const auto& catalog = RegionCatalog::embedded();
  const CloudRegion* paris = catalog.find("gcp", "europe-west9");
  REQUIRE(paris);
  CHECK(paris->zone == "FR");
  CHECK(paris->site == "Paris");
  CHECK(paris->pue == 1.1);
  REQUIRE(paris->google_cfe);
  CHECK(*paris->google_cfe == Approx(0.96));
  CHECK(catalog.find("AWS", "EU-WEST-3")->zone == "FR");
  CHECK(catalog.find("aws", "eu-west-3")->google_cfe == std::nullopt);
  CHECK(catalog.find("azure", "eastus")->country_iso2() == "US");
  CHECK(catalog.find("aws", "nowhere-1") == nullptr);
  CHECK(catalog.regions().size() == 150);  // 148 mapped sites + 2 Google-only regions
}

TEST_CASE("a Google region without a mapped site is kept without zone", "[intensity]") {
  const CloudRegion* oklahoma = RegionCatalog::embedded().find("gcp", "us-central2");
  REQUIRE(oklahoma);
  CHECK(oklahoma->zone.empty());
  CHECK(oklahoma->position == std::nullopt);
  CHECK(*oklahoma->google_cfe == Approx(0.88));
}

TEST_CASE("site names with commas survive the CRLF CSV", "[intensity]") {
  bool found = false;
  for (const auto& region : RegionCatalog::embedded().regions())
    if (region.site.find(", ") != std::string::npos) found = true;
  CHECK(found);
  for (const auto& region : RegionCatalog::embedded().regions())
    CHECK(region.region.find('\r') == std::string::npos);
}

TEST_CASE("great-circle distance Paris to London is about 344 km", "[intensity]") {
  CHECK(great_circle_km({48.8566, 2.3522}, {51.5074, -0.1278}) == Approx(343.5).margin(2));
  CHECK(great_circle_km({10, 20}, {10, 20}) == 0);
}

TEST_CASE("countries are found by ISO-2 or ISO-3, Kosovo included", "[intensity]") {
  CHECK(find_country("fra")->alpha2 == "FR");
  CHECK(find_country("GB")->alpha3 == "GBR");
  CHECK(find_country("XK")->alpha3 == "XKX");
  CHECK(find_country("ZZ") == std::nullopt);
}
