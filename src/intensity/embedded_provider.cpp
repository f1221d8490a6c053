#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "greentrain/error.hpp"
#include "greentrain/intensity/catalog.hpp"
#include "greentrain/intensity/embedded.hpp"
#include "intensity/embedded_tables.hpp"
#include "core/key_text.hpp"

namespace greentrain {

namespace {

using detail::EmbeddedTables;

struct Lookup {
  double intensity_g_per_kwh = 0;
  int year = 0;
  std::string source;
  ResolvedLocation where;
};

const detail::CountryCode* code_by_alpha2(const EmbeddedTables& t, std::string_view alpha2) {
  auto it = t.by_alpha2.find(alpha2);
  return it == t.by_alpha2.end() ? nullptr : &t.country_codes[it->second];
}

const detail::CountryCode* code_by_alpha3(const EmbeddedTables& t, std::string_view alpha3) {
  auto it = t.by_alpha3.find(alpha3);
  return it == t.by_alpha3.end() ? nullptr : &t.country_codes[it->second];
}

void set_country(const EmbeddedTables& t, const detail::CountryCode* code, ResolvedLocation& out) {
  if (!code) return;
  out.country_iso3 = code->alpha3;
  auto ember = t.countries.find(code->alpha3);
  out.country_name = ember != t.countries.end() ? ember->second.name : code->name;
}

std::optional<Lookup> by_zone(const EmbeddedTables& t, std::string_view key) {
  std::string zone = detail::to_upper(key);
  const detail::ZoneFigure* figure = detail::find_zone(t, zone);
  if (!figure) return std::nullopt;
  Lookup out{figure->intensity_g_per_kwh,
             figure->year,
             fmt::format("Electricity Maps {} yearly average, zone {}", figure->year, zone),
             {}};
  out.where.zone = zone;
  out.where.zone_name = figure->name;
  set_country(t, code_by_alpha2(t, zone.substr(0, zone.find('-'))), out.where);
  return out;
}

std::optional<Lookup> by_country(const EmbeddedTables& t, std::string_view key) {
  std::string upper = detail::to_upper(key);
  const detail::CountryCode* code =
      upper.size() == 2 ? code_by_alpha2(t, upper) : code_by_alpha3(t, upper);
  std::string ember_key = code ? code->alpha3 : std::string(key);
  auto ember = std::find_if(t.countries.begin(), t.countries.end(), [&](const auto& entry) {
    return detail::iequals(entry.first, ember_key);
  });
  if (ember != t.countries.end()) {
    const auto& figure = ember->second;
    Lookup out{figure.intensity_g_per_kwh,
               figure.year,
               fmt::format("Ember {} yearly average, country {}", figure.year, ember->first),
               {}};
    out.where.country_iso3 = figure.iso3;
    out.where.country_name = figure.name;
    return out;
  }
  if (!code) return std::nullopt;
  auto zone = by_zone(t, code->alpha2);
  if (!zone) return std::nullopt;
  zone->source += fmt::format(" (Ember has no figure for {})", code->alpha3);
  return zone;
}

std::optional<Lookup> by_cloud_region(const EmbeddedTables& t, const Location& location) {
  const CloudRegion* region = RegionCatalog::embedded().find(location.provider, location.key);
  if (!region) return std::nullopt;
  // Every provider's regions get the same basis (Electricity Maps lifecycle figures), so a
  // ranking compares like with like; Google's own figure is operational-only, shown beside it.
  std::optional<Lookup> out = by_zone(t, region->zone);
  auto google = t.google_regions.find(region->region);
  bool has_google = region->provider == "gcp" && google != t.google_regions.end();
  if (out) {
    out->source += fmt::format(" (region {} is in that zone)", region->key());
    if (has_google)
      out->source += fmt::format("; Google's own 2024 operational figure {:.0f} g/kWh, CFE {:.0f} %",
                                 google->second.intensity_g_per_kwh, google->second.cfe * 100);
  } else if (has_google) {
    out = Lookup{google->second.intensity_g_per_kwh, 2024,
                 fmt::format("Google Cloud 2024 region carbon data, region {} (operational "
                             "emissions only; no Electricity Maps figure for zone {})",
                             region->region, region->zone),
                 {}};
  } else {
    return std::nullopt;
  }
  out->where.cloud_provider = region->provider;
  out->where.cloud_region = region->region;
  if (region->position) {
    out->where.latitude = region->position->latitude;
    out->where.longitude = region->position->longitude;
  }
  out->where.default_pue = region->pue;
  return out;
}

std::optional<Lookup> lookup(const Location& location) {
  const auto& t = detail::embedded_tables();
  switch (location.kind) {
    case Location::Kind::zone:
      return by_zone(t, location.key);
    case Location::Kind::country:
      return by_country(t, location.key);
    case Location::Kind::cloud_region:
      return by_cloud_region(t, location);
  }
  return std::nullopt;
}

std::vector<std::string> valid_keys(const Location& location) {
  const auto& t = detail::embedded_tables();
  std::vector<std::string> keys;
  switch (location.kind) {
    case Location::Kind::zone:
      for (const auto& [key, figure] : t.zones_2025) keys.push_back(key);
      break;
    case Location::Kind::country:
      for (const auto& code : t.country_codes) {
        keys.push_back(code.alpha2);
        keys.push_back(code.alpha3);
      }
      break;
    case Location::Kind::cloud_region: {
      const auto& regions = RegionCatalog::embedded().regions();
      bool provider_known = std::any_of(regions.begin(), regions.end(), [&](const CloudRegion& r) {
        return detail::iequals(r.provider, location.provider);
      });
      for (const auto& r : regions)
        if (!provider_known || detail::iequals(r.provider, location.provider))
          keys.push_back(r.key());
      break;
    }
  }
  return keys;
}

SystemTime year_start(int year) {
  return std::chrono::sys_days{std::chrono::year{year} / std::chrono::January / 1};
}

}  // namespace

IntensityReading EmbeddedProvider::intensity_at(const Location& location, SystemTime,
                                                ProviderFault& fault) {
  fault.clear();
  auto found = lookup(location);
  if (!found) {
    fault = unknown(location);
    return {};
  }
  return {GramsPerKwh{found->intensity_g_per_kwh},
          Signal::average,
          Provenance{Basis::default_table, std::move(found->source)},
          year_start(found->year),
          year_start(found->year + 1),
          {}};
}

ProviderFault EmbeddedProvider::unknown(const Location& location) const {
  std::string query = location.kind == Location::Kind::cloud_region
                          ? location.provider + ":" + location.key
                          : location.key;
  std::string_view kind = location.kind == Location::Kind::zone      ? "zone"
                          : location.kind == Location::Kind::country ? "country"
                                                                     : "cloud region";
  std::string_view listing = location.kind == Location::Kind::cloud_region
                                ? "greentrain regions"
                                : "greentrain regions --zones";
  return {
      errc::unknown_location,
      fmt::format("unknown {} '{}'; nearest: {}; list them with `{}`", kind, query,
                  fmt::join(detail::nearest_keys(query, valid_keys(location), 8), ", "), listing)};
}

ResolvedLocation EmbeddedProvider::resolve(const Location& location, ProviderFault& fault) const {
  fault.clear();
  auto found = lookup(location);
  if (!found) {
    fault = unknown(location);
    return {};
  }
  return std::move(found->where);
}

ResolvedLocation EmbeddedProvider::resolve(const Location& location) const {
  ProviderFault fault;
  auto where = resolve(location, fault);
  if (fault) throw error(fault.code, fault.reason);
  return where;
}

}  // namespace greentrain
