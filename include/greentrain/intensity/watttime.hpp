#pragma once
// WattTime API v3: marginal emissions (MOER) of a balancing authority, live, past and forecast.
// Every figure is Signal::marginal, converted from lbs/MWh to g/kWh.
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "greentrain/intensity/http_options.hpp"
#include "greentrain/intensity/provider.hpp"

namespace greentrain {

inline constexpr double grams_per_kwh_per_lbs_per_mwh = 0.453592;

struct WattTimeOptions {
  std::string base_url = "https://api.watttime.org";  // /login at the root, data under /v3
  std::string username;                               // never printed, logged or written
  std::string password;
  std::string signal_type = "co2_moer";
  int horizon_hours = 24;  // forecast length, 0..72
  HttpOptions http;
  std::function<SystemTime()> clock;  // empty: the system clock

  // base defaults, with credentials from WATTTIME_USERNAME and WATTTIME_PASSWORD, else from
  // watttime_username and watttime_password of a greentrain.toml only its owner can read.
  static WattTimeOptions from_environment();
};

struct WattTimeRegion {
  std::string region;       // "CAISO_NORTH"
  std::string full_name;    // "ISONE Western/Central Massachusetts"
  std::string signal_type;  // "co2_moer"
};

// Where the current MOER sits among the next 24 hours: 0 cleanest, 100 dirtiest.
struct SignalIndex {
  double percentile = 0;
  SystemTime time{};
};

class WattTimeProvider final : public IntensityProvider {
 public:
  explicit WattTimeProvider(WattTimeOptions options);
  ~WattTimeProvider() override;
  WattTimeProvider(const WattTimeProvider&) = delete;
  WattTimeProvider& operator=(const WattTimeProvider&) = delete;

  std::string_view name() const noexcept override { return "WattTime"; }
  // Location::zone keys are WattTime regions ("CAISO_NORTH"); other kinds are unsupported.
  IntensityReading intensity_at(const Location& location, SystemTime at,
                                ProviderFault& fault) override;
  Forecast forecast(const Location& location, SystemTime from, SystemTime to,
                    ProviderFault& fault) override;
  using IntensityProvider::forecast;
  using IntensityProvider::intensity_at;

  Forecast forecast(const std::string& region, ProviderFault& fault);
  std::vector<IntensityPoint> historical(const std::string& region, SystemTime start,
                                         SystemTime end, ProviderFault& fault);
  SignalIndex signal_index(const std::string& region, ProviderFault& fault);
  WattTimeRegion region_from_location(double latitude, double longitude, ProviderFault& fault);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace greentrain
