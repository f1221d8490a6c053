#pragma once
// The intensity a provider expects over a period for a region: the forecast's time-weighted
// average where it covers the period, else the provider's reading at the start.
#include <optional>
#include <string>

#include "greentrain/intensity/catalog.hpp"
#include "greentrain/intensity/provider.hpp"

namespace greentrain::decide {

struct ExpectedIntensity {
  GramsPerKwh intensity{};
  Signal signal = Signal::average;
  Provenance provenance;
  bool from_forecast = false;
};

// nullopt with `failure` set to the provider's explanation when it has no figure at all.
std::optional<ExpectedIntensity> expected_intensity(IntensityProvider& provider,
                                                    const CloudRegion& region, SystemTime from,
                                                    SystemTime to, std::string& failure);

}  // namespace greentrain::decide
