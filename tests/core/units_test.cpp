#include <catch2/catch.hpp>

#include "greentrain/units.hpp"

using namespace greentrain;

TEST_CASE("a watt for an hour is 3600 joules and 0.001 kWh", "[core][units]") {
  Joules e = Watts{1.0} * Seconds{3600.0};
  CHECK(e.value == Approx(3600.0));
  CHECK(to_kwh(e).value == Approx(0.001));
}

TEST_CASE("emissions are energy times intensity", "[core][units]") {
  GramsCo2e m = KilowattHours{2.0} * GramsPerKwh{56.0};
  CHECK(m.value == Approx(112.0));
  CHECK(to_kg(m) == Approx(0.112));
}
