#include <catch2/catch.hpp>

#include "tracker/carbon_ledger.hpp"

using namespace greentrain;
using greentrain::detail::CarbonLedger;
using greentrain::detail::EnergyByComponent;

namespace {

IntensityReading at(double g_per_kwh, std::string source) {
  return {.intensity = GramsPerKwh{g_per_kwh},
          .provenance = {.basis = Basis::default_table, .source = std::move(source)}};
}

EnergyByComponent cpu_kwh(double kwh) {
  EnergyByComponent e;
  e[sensors::Component::cpu] = to_joules(KilowattHours{kwh});
  return e;
}

}  // namespace

TEST_CASE("three 1 kWh intervals at 100, 200 and 300 g/kWh emit 0.6 kg", "[tracker][ledger]") {
  CarbonLedger ledger(1.0);
  ledger.add_interval(Seconds{3600}, cpu_kwh(1), at(100, "trace"));
  ledger.add_interval(Seconds{3600}, cpu_kwh(1), at(200, "trace"));
  ledger.add_interval(Seconds{3600}, cpu_kwh(1), at(300, "trace"));
  CHECK(to_kg(ledger.totals().emissions) == Approx(0.6));
  CHECK(ledger.totals().facility_energy.value == Approx(3.0));
}

TEST_CASE("each interval uses its own intensity, not the run's average", "[tracker][ledger]") {
  // 2 kWh at night (50 g) and 1 kWh in the evening (500 g): 600 g, where the mean of the two
  // intensities times 3 kWh would give 825 g.
  CarbonLedger ledger(1.0);
  ledger.add_interval(Seconds{7200}, cpu_kwh(2), at(50, "night"));
  ledger.add_interval(Seconds{3600}, cpu_kwh(1), at(500, "evening"));
  CHECK(ledger.totals().emissions.value == Approx(600.0));
}

TEST_CASE("PUE multiplies the facility energy and the emissions", "[tracker][ledger]") {
  CarbonLedger ledger(1.5);
  EnergyByComponent e = cpu_kwh(1);
  e[sensors::Component::ram] = to_joules(KilowattHours{1});
  ledger.add_interval(Seconds{60}, e, at(100, "table"));
  CHECK(ledger.totals().facility_energy.value == Approx(3.0));
  CHECK(ledger.totals().emissions.value == Approx(300.0));
  CHECK(to_kwh(ledger.totals().it_energy[sensors::Component::ram]).value == Approx(1.0));
}

TEST_CASE("the intensity provenance names every source used in the run", "[tracker][ledger]") {
  CarbonLedger ledger(1.0);
  ledger.add_interval(Seconds{1}, cpu_kwh(1), at(100, "Electricity Maps live FR"));
  ledger.add_interval(Seconds{1}, cpu_kwh(1), at(100, "Electricity Maps live FR"));
  ledger.add_interval(Seconds{1}, cpu_kwh(1), at(60, "embedded 2025 FR"));
  CHECK(ledger.intensity_provenance().source == "Electricity Maps live FR; embedded 2025 FR");
}
