#pragma once
// Electricity Maps API v3: live, past and forecast carbon intensity of a grid zone.
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include "greentrain/intensity/http_options.hpp"
#include "greentrain/intensity/provider.hpp"

namespace greentrain {

struct ElectricityMapsOptions {
  // The service has used several hosts; v3 paths are appended to this.
  std::string base_url = "https://api.electricitymap.org/v3";
  std::string api_key;  // sent as the auth-token header; never printed, logged or written
  HttpOptions http;
  std::function<SystemTime()> clock;  // empty: the system clock

  // base defaults, with the key from ELECTRICITYMAPS_API_KEY, else electricitymaps_api_key of a
  // greentrain.toml only its owner can read (config.hpp); empty when neither is set.
  static ElectricityMapsOptions from_environment();
};

// How to name a place to Electricity Maps: a zone key, a point, or a cloud data center.
struct GridQuery {
  std::string zone;
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::string data_center_provider;  // "gcp"
  std::string data_center_region;    // "europe-west1"

  static GridQuery zone_key(std::string key) { return {std::move(key), {}, {}, {}, {}}; }
  static GridQuery point(double lat, double lon) { return {{}, lat, lon, {}, {}}; }
  static GridQuery data_center(std::string provider, std::string region) {
    return {{}, {}, {}, std::move(provider), std::move(region)};
  }
  // zone and country (two-letter) keys map to a zone, cloud regions to a data center.
  static std::optional<GridQuery> from(const Location& location);
};

// "zone FR", "point 48.85,2.35", "data center gcp:europe-west1".
std::string to_string(const GridQuery& query);

struct ZoneInfo {
  std::string key;                  // "US-CAR-DUK"
  std::string zone_name;            // "Duke Energy Carolinas"
  std::string country_name;         // often absent
  std::vector<std::string> access;  // paths the token may use; "*" is all; empty without a token
};

struct LatestResult {
  IntensityReading reading;
  ProviderFault fault;
};

class ElectricityMapsProvider final : public IntensityProvider {
 public:
  explicit ElectricityMapsProvider(ElectricityMapsOptions options);
  ~ElectricityMapsProvider() override;
  ElectricityMapsProvider(const ElectricityMapsProvider&) = delete;
  ElectricityMapsProvider& operator=(const ElectricityMapsProvider&) = delete;

  std::string_view name() const noexcept override { return "Electricity Maps"; }
  // Near now: carbon-intensity/latest; earlier: past-range; later: the forecast.
  IntensityReading intensity_at(const Location& location, SystemTime at,
                                ProviderFault& fault) override;
  Forecast forecast(const Location& location, SystemTime from, SystemTime to,
                    ProviderFault& fault) override;
  // Fetches the latest figure of every location concurrently when `at` is near now; the
  // intensity_at calls of the next five minutes are answered from these.
  void prefetch(std::span<const Location> locations, SystemTime at) override;
  using IntensityProvider::forecast;
  using IntensityProvider::intensity_at;

  IntensityReading latest(const GridQuery& query, ProviderFault& fault);
  std::vector<IntensityPoint> history(const GridQuery& query, ProviderFault& fault);  // last 24 h
  std::vector<IntensityPoint> past_range(const GridQuery& query, SystemTime start, SystemTime end,
                                         ProviderFault& fault);
  Forecast forecast(const GridQuery& query, ProviderFault& fault);
  std::vector<ZoneInfo> zones(ProviderFault& fault);

  // The latest figure for many places, fetched concurrently; one result per query, in order.
  std::vector<LatestResult> latest_many(std::span<const GridQuery> queries);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace greentrain
