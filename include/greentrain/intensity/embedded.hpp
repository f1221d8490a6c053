#pragma once
// The offline default: yearly average intensities compiled into the library.
//   zone          Electricity Maps 2025 yearly average (2024 for a zone missing in 2025)
//   country       Ember (ISO-3 or ISO-2; the figure's own year); else the Electricity Maps zone
//                 of that ISO-2 code
//   cloud region  the region's Electricity Maps zone, for every provider alike (Google's own
//                 operational figure only where a gcp region has no mapped zone)
// An unknown key is errc::unknown_location, and the fault names the nearest valid keys:
// "unknown zone 'FX'; nearest: FR, FO, ...; list them with `greentrain regions --zones`".
#include "greentrain/intensity/provider.hpp"

namespace greentrain {

class EmbeddedProvider : public IntensityProvider {
 public:
  std::string_view name() const noexcept override { return "embedded"; }

  // The yearly figure; `at` does not change it. valid_from/valid_until span the figure's year.
  IntensityReading intensity_at(const Location& location, SystemTime at,
                                ProviderFault& fault) override;
  using IntensityProvider::intensity_at;

  // Zone, country and cloud details for the outputs; PUE from default_pue().
  ResolvedLocation resolve(const Location& location) const;  // throws greentrain::error
  ResolvedLocation resolve(const Location& location, ProviderFault& fault) const;

 private:
  ProviderFault unknown(const Location& location) const;
};

}  // namespace greentrain
