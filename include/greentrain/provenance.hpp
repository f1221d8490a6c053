#pragma once
// Every energy and CO2 figure says where it came from; provenance is data, carried to the report.
#include <string>
#include <string_view>

namespace greentrain {

enum class Basis {
  measured,       // read from a hardware counter or a live service
  modelled,       // computed by a named model from named inputs
  default_table,  // a published table (which table and which year), used when nothing better is
                  // known
  user,           // given by the user (a forced intensity, a stated power)
  reported,       // another tool's figure (a CodeCarbon row read by `report`): greentrain measured
                  // nothing
};

std::string_view to_string(Basis basis) noexcept;

struct Provenance {
  Basis basis = Basis::default_table;
  // Which counter, model or table: "powercap:intel-rapl:0 package-0", "tdp-curve 225 W x load 0.62",
  // "Electricity Maps 2025 yearly average, zone FR".
  std::string source;
  // Relative uncertainty band of a modelled figure: on the measurements the model was calibrated
  // on, the measured value fell within [band_low x figure, band_high x figure] for a share
  // `band_coverage` of them (docs/measurement.md). Measured figures keep 1, 1 and 0.
  double band_low = 1.0;
  double band_high = 1.0;
  // A fault interrupted this figure (a sensor read failed, a provider fell back): it is incomplete.
  bool degraded = false;
  double band_coverage = 0.0;  // last, so that positional initialisers stay valid

  bool operator==(const Provenance&) const = default;
};

// "measured (powercap:intel-rapl:0 package-0)", "modelled (tdp-curve ..., band 0.35-1.40)".
std::string describe(const Provenance& p);

}  // namespace greentrain
