#include "greentrain/intensity/catalog.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "intensity/embedded_tables.hpp"
#include "core/key_text.hpp"

namespace greentrain {

double great_circle_km(GeoPoint a, GeoPoint b) noexcept {
  constexpr double earth_radius_km = 6371.0;
  constexpr double rad = std::numbers::pi / 180.0;
  double dlat = (b.latitude - a.latitude) * rad;
  double dlon = (b.longitude - a.longitude) * rad;
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(a.latitude * rad) *
                                                           std::cos(b.latitude * rad) *
                                                           std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * earth_radius_km * std::asin(std::min(1.0, std::sqrt(h)));
}

std::string CloudRegion::country_iso2() const { return zone.substr(0, zone.find('-')); }

double default_pue(std::string_view provider, std::string_view region) noexcept {
  if (provider.empty()) return 1.0;
  if (detail::iequals(provider, "aws")) return 1.135;
  if (detail::iequals(provider, "azure")) return 1.185;
  if (detail::iequals(provider, "gcp")) {
    if (detail::iequals(region, "us-central1")) return 1.11;
    if (detail::iequals(region, "europe-west1")) return 1.09;
    if (detail::iequals(region, "europe-west4")) return 1.07;
    return 1.1;
  }
  return 1.56;
}

std::optional<Country> find_country(std::string_view code) {
  const auto& t = detail::embedded_tables();
  std::string upper = detail::to_upper(code);
  const auto& index = upper.size() == 2 ? t.by_alpha2 : t.by_alpha3;
  auto it = index.find(upper);
  if (it == index.end()) return std::nullopt;
  const auto& c = t.country_codes[it->second];
  return Country{c.name, c.alpha2, c.alpha3};
}

RegionCatalog::RegionCatalog(std::vector<CloudRegion> regions) : regions_(std::move(regions)) {}

const CloudRegion* RegionCatalog::find(std::string_view provider,
                                       std::string_view region) const noexcept {
  auto it = std::find_if(regions_.begin(), regions_.end(), [&](const CloudRegion& r) {
    return detail::iequals(r.provider, provider) && detail::iequals(r.region, region);
  });
  return it == regions_.end() ? nullptr : &*it;
}

namespace {

std::vector<CloudRegion> embedded_regions() {
  const auto& tables = detail::embedded_tables();
  std::vector<CloudRegion> regions;
  for (const auto& site : tables.sites) {
    CloudRegion region{site.provider,
                       site.region,
                       site.site,
                       site.zone,
                       GeoPoint{site.latitude, site.longitude},
                       default_pue(site.provider, site.region),
                       std::nullopt};
    if (site.provider == "gcp")
      if (auto it = tables.google_regions.find(site.region); it != tables.google_regions.end())
        region.google_cfe = it->second.cfe;
    regions.push_back(std::move(region));
  }
  // Google publishes figures for a few regions that the data-centre map does not place yet.
  for (const auto& [name, figure] : tables.google_regions) {
    const std::string& google_region = name;  // a lambda cannot capture a structured binding in clang 14
    bool known = std::any_of(regions.begin(), regions.end(), [&](const CloudRegion& r) {
      return r.provider == "gcp" && r.region == google_region;
    });
    if (!known)
      regions.push_back(
          {"gcp", name, figure.location, "", std::nullopt, default_pue("gcp", name), figure.cfe});
  }
  return regions;
}

}  // namespace

const RegionCatalog& RegionCatalog::embedded() {
  static const RegionCatalog catalog{embedded_regions()};
  return catalog;
}

}  // namespace greentrain
