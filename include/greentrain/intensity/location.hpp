#pragma once
// Where electricity is drawn: an Electricity Maps zone, a country, or a cloud provider's region.
#include <optional>
#include <string>

namespace greentrain {

struct Location {
  enum class Kind { zone, country, cloud_region };

  Kind kind = Kind::zone;
  std::string key;       // "FR", "US-CAL-CISO"; "FRA" or "FR"; "europe-west9"
  std::string provider;  // cloud_region only: "aws", "gcp", "azure", ...

  static Location zone(std::string key) { return {Kind::zone, std::move(key), {}}; }
  static Location country(std::string iso) { return {Kind::country, std::move(iso), {}}; }
  static Location cloud(std::string provider, std::string region) {
    return {Kind::cloud_region, std::move(region), std::move(provider)};
  }
  // "gcp:europe-west9" -> cloud("gcp", "europe-west9"); nullopt without a colon.
  static std::optional<Location> parse_cloud(const std::string& text);

  bool operator==(const Location&) const = default;
};

// "zone FR", "country FRA", "cloud region gcp:europe-west9".
std::string to_string(const Location& location);

// What a location resolves to, for the columns of emissions.csv and the report.
struct ResolvedLocation {
  std::string zone;              // Electricity Maps zone key, empty when only a country is known
  std::string zone_name;         // "France", "Duke Energy Carolinas"
  std::string country_iso3;      // "FRA"
  std::string country_name;      // "France"
  std::string cloud_provider;    // "gcp", empty on premises
  std::string cloud_region;      // "europe-west9"
  std::optional<double> latitude;
  std::optional<double> longitude;
  double default_pue = 1.0;      // the provider's published PUE, 1.0 on premises
};

}  // namespace greentrain
