#pragma once
// A fake intensity provider: a forecast per location key, and a reading for keys without one.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "greentrain/error.hpp"
#include "greentrain/intensity/provider.hpp"

namespace greentrain::testing {

class ForecastTable : public IntensityProvider {
 public:
  std::map<std::string, std::vector<IntensityPoint>> forecasts;  // by Location key
  std::map<std::string, double> readings;                        // g/kWh, no forecast
  std::set<std::string> marginal;  // keys whose figures are marginal (MOER); others average

  std::string_view name() const noexcept override { return "forecast-table"; }

  IntensityReading intensity_at(const Location& location, SystemTime at,
                                ProviderFault& fault) override {
    fault.clear();
    if (auto it = readings.find(location.key); it != readings.end())
      return {GramsPerKwh{it->second},
              signal(location),
              {Basis::default_table, "table " + location.key},
              at,
              at,
              {}};
    if (auto it = forecasts.find(location.key); it != forecasts.end())
      for (const auto& p : it->second)
        if (p.time <= at && at < p.time + p.duration)
          return {p.intensity, signal(location),    {Basis::measured, "forecast " + location.key},
                  p.time,      p.time + p.duration, {}};
    fault = fault_for(location, errc::unknown_location);
    return {};
  }

  Forecast forecast(const Location& location, SystemTime from, SystemTime to,
                    ProviderFault& fault) override {
    fault.clear();
    auto it = forecasts.find(location.key);
    if (it == forecasts.end()) {
      fault = fault_for(
          location, readings.contains(location.key) ? errc::unsupported : errc::unknown_location);
      return {};
    }
    Forecast result{{}, signal(location), {Basis::measured, "forecast " + location.key}};
    for (const auto& p : it->second)
      if (p.time + p.duration > from && p.time < to) result.points.push_back(p);
    return result;
  }
  using IntensityProvider::forecast;
  using IntensityProvider::intensity_at;

 private:
  Signal signal(const Location& location) const {
    return marginal.contains(location.key) ? Signal::marginal : Signal::average;
  }
};

// Points of `step` from `start` with the given values.
inline std::vector<IntensityPoint> series(SystemTime start, std::chrono::seconds step,
                                          const std::vector<double>& values) {
  std::vector<IntensityPoint> points;
  for (std::size_t i = 0; i < values.size(); ++i)
    points.push_back({start + step * static_cast<long>(i), step, GramsPerKwh{values[i]}});
  return points;
}

}  // namespace greentrain::testing
