#pragma once
// The cloud region catalog: each provider's region, the grid zone that powers it, where it is, its
// PUE and Google's carbon-free energy share where published. Built from data/cloud/ (embedded).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace greentrain {

struct GeoPoint {
  double latitude = 0;
  double longitude = 0;
};

// Great-circle distance on a sphere of mean Earth radius (6371 km).
double great_circle_km(GeoPoint a, GeoPoint b) noexcept;

struct CloudRegion {
  std::string provider;  // "aws", "gcp", "azure", "ovh", ...
  std::string region;    // "eu-west-3"
  std::string site;      // "Paris"
  std::string zone;      // Electricity Maps zone key, empty when unknown
  std::optional<GeoPoint> position;
  double pue = 1.0;                  // the provider's published PUE (default_pue)
  std::optional<double> google_cfe;  // 0-1, Google Cloud regions only

  std::string key() const { return provider + ":" + region; }  // "aws:eu-west-3"
  // ISO-2 country of the zone ("US-CAL-CISO" -> "US"), empty when the zone is unknown.
  std::string country_iso2() const;
};

// Published PUE: AWS 1.135, GCP 1.1 (us-central1 1.11, europe-west1 1.09, europe-west4 1.07),
// Azure 1.185 (Cloud Carbon Footprint); any other provider 1.56 (Green Algorithms' default for an
// unknown data centre); empty provider (on premises) 1.0.
double default_pue(std::string_view provider, std::string_view region = {}) noexcept;

// An ISO 3166-1 country (data/countries/iso3166.csv, plus Kosovo's user-assigned XK / XKX).
struct Country {
  std::string name;
  std::string alpha2;  // "FR"
  std::string alpha3;  // "FRA"
};
// By ISO-2 or ISO-3 code, case-insensitive; nullopt when unknown.
std::optional<Country> find_country(std::string_view code);

class RegionCatalog {
 public:
  explicit RegionCatalog(std::vector<CloudRegion> regions);

  // The embedded catalog (data/cloud/datacenter-zones.csv and gcp-region-carbon-2024.csv).
  static const RegionCatalog& embedded();

  const std::vector<CloudRegion>& regions() const noexcept { return regions_; }
  // Case-insensitive; nullptr when absent.
  const CloudRegion* find(std::string_view provider, std::string_view region) const noexcept;

 private:
  std::vector<CloudRegion> regions_;
};

}  // namespace greentrain
