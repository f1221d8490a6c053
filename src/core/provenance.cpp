#include "greentrain/provenance.hpp"

#include <fmt/format.h>

namespace greentrain {

std::string_view to_string(Basis basis) noexcept {
  switch (basis) {
    case Basis::measured: return "measured";
    case Basis::modelled: return "modelled";
    case Basis::default_table: return "default";
    case Basis::user: return "user";
    case Basis::reported:
      return "reported";
  }
  return "unknown";
}

std::string describe(const Provenance& p) {
  std::string text = fmt::format("{} ({})", to_string(p.basis), p.source);
  if (p.band_low != 1.0 || p.band_high != 1.0) {
    text += fmt::format(", band x{:.2f}-x{:.2f}", p.band_low, p.band_high);
    text += p.band_coverage > 0
                ? fmt::format(" (held for {:.0f} % of the measured points)", 100 * p.band_coverage)
                : std::string(" (its coverage not measured)");
  }
  if (p.degraded) text += ", degraded";
  return text;
}

}  // namespace greentrain
