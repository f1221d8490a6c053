#pragma once
// The tables compiled into the library (data/), parsed once on first use.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace greentrain::detail {

struct ZoneFigure {
  std::string name;
  double intensity_g_per_kwh = 0;
  std::optional<double> carbon_free_pct;
  int year = 0;
};

struct CountryFigure {
  std::string iso3;  // empty for aggregates such as "World"
  std::string name;
  double intensity_g_per_kwh = 0;
  int year = 0;
};

struct GoogleRegionFigure {
  std::string location;
  double cfe = 0;  // Google's carbon-free energy share, 0-1
  double intensity_g_per_kwh = 0;
};

struct DatacenterSite {
  std::string provider;
  std::string region;
  std::string zone;
  double latitude = 0;
  double longitude = 0;
  std::string site;
  std::string status;
};

struct CountryCode {
  std::string name;
  std::string alpha2;
  std::string alpha3;
};

using Table = std::less<>;

struct EmbeddedTables {
  std::map<std::string, ZoneFigure, Table> zones_2025;  // Electricity Maps zone key
  std::map<std::string, ZoneFigure, Table> zones_2024;
  std::map<std::string, CountryFigure, Table> countries;  // Ember key: ISO-3 or an aggregate
  std::map<std::string, GoogleRegionFigure, Table> google_regions;  // "europe-west9"
  std::vector<DatacenterSite> sites;
  std::vector<CountryCode> country_codes;
  std::map<std::string, std::size_t, Table> by_alpha2;  // index into country_codes
  std::map<std::string, std::size_t, Table> by_alpha3;
};

// The 2025 figure of a zone key (upper case), else its 2024 figure; nullptr when neither exists.
const ZoneFigure* find_zone(const EmbeddedTables& tables, std::string_view key);

// Parsed on first call (thread-safe); throws greentrain::error if a table is malformed.
const EmbeddedTables& embedded_tables();

}  // namespace greentrain::detail
