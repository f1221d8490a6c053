#pragma once
// An intensity the user forces (Basis::user): the same figure for every location and time.
#include <string>

#include "greentrain/intensity/provider.hpp"

namespace greentrain {

class FixedProvider : public IntensityProvider {
 public:
  // Throws greentrain::error (invalid_argument) for a negative or non-finite intensity.
  explicit FixedProvider(GramsPerKwh intensity, std::string note = "forced by the user");

  std::string_view name() const noexcept override { return "fixed"; }
  IntensityReading intensity_at(const Location& location, SystemTime at,
                                ProviderFault& fault) override;
  // One flat point covering [from, to).
  Forecast forecast(const Location& location, SystemTime from, SystemTime to,
                    ProviderFault& fault) override;
  using IntensityProvider::forecast;
  using IntensityProvider::intensity_at;

 private:
  Provenance provenance() const;

  GramsPerKwh intensity_;
  std::string note_;
};

}  // namespace greentrain
