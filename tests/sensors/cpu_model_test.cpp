#include <catch2/catch.hpp>

#include "greentrain/sensors/cpu_model.hpp"
#include "sensors/recorded_tree.hpp"

using namespace greentrain::sensors;
using greentrain::test::stat_after;
using greentrain::test::TreeCopy;

TEST_CASE("the load curve rises linearly from idle until every core is busy, then stays",
          "[sensors][cpu-model]") {
  CpuCurve curve;
  CHECK(curve.fraction(0.0) == Approx(0.22));
  CHECK(curve.fraction(0.225) == Approx(0.22 + 0.48 / 2));
  CHECK(curve.fraction(0.45) == Approx(0.70));
  CHECK(curve.fraction(0.8) == Approx(0.70));
  CHECK(curve.fraction(1.7) == Approx(0.70));
  CHECK(curve.fraction(-1.0) == Approx(0.22));
}

TEST_CASE("CodeCarbon's curve is 0.1 + 0.9 load cubed", "[sensors][cpu-model]") {
  CHECK(codecarbon_power_fraction(0.5) == Approx(0.2125));
  CHECK(codecarbon_power_fraction(1.0) == Approx(1.0));
}

TEST_CASE("the model's band is two-sided and says what share it held", "[sensors][cpu-model]") {
  auto band = cpu_model_band();
  CHECK(band.low < 1.0);
  CHECK(band.high > 1.0);
  CHECK(band.coverage >= 0.8);
}

TEST_CASE("modelled CPU power is TDP times the curve at the load between readings", "[sensors][cpu-model]") {
  TreeCopy tree("vm-no-powercap");
  auto sensor = make_cpu_model_sensor(lookup_cpu_tdp("AMD EPYC", 2), tree.proc());
  CHECK(sensor->kind() == SignalKind::average_power);
  CHECK(sensor->domain() == Domain::cpu_package);
  REQUIRE(sensor->probe().available);
  tree.write("proc/stat", stat_after(60, 40));
  std::error_code ec;
  CHECK(sensor->read(ec).value == Approx(8.0 * 0.70));  // load 0.6: every core busy
  CHECK_FALSE(ec);
}

TEST_CASE("the model's provenance names TDP, default and mean load over time", "[sensors][cpu-model]") {
  TreeCopy tree("vm-no-powercap");
  auto sensor = make_cpu_model_sensor(lookup_cpu_tdp("AMD EPYC", 2), tree.proc(), "no RAPL counter");
  REQUIRE(sensor->probe().available);
  std::error_code ec;
  tree.write("proc/stat", stat_after(60, 40));  // 100 ticks at load 0.6
  CHECK(sensor->read(ec).value == Approx(8.0 * 0.70));
  tree.write("proc/stat", stat_after(60 + 60, 40 + 240));  // 300 ticks at load 0.2
  CHECK(sensor->read(ec).value == Approx(8.0 * CpuCurve{}.fraction(0.2)));  // its own load
  auto p = sensor->provenance();
  CHECK(p.basis == greentrain::Basis::modelled);
  CHECK(p.source ==
        "tdp-curve (fitted to measured CPUs) 8.0 W TDP [default: 4 W x 2 threads, CPU 'AMD EPYC' "
        "not in table] x load of each interval, mean 0.30 [no RAPL counter]");
  // 'AMD EPYC' is not in the TDP table: the band of a TDP taken as 4 W per thread.
  auto unknown = cpu_model_band(lookup_cpu_tdp("AMD EPYC", 2));
  CHECK(unknown.low != Approx(cpu_model_band().low));
  CHECK(p.band_low == Approx(unknown.low));
  CHECK(p.band_high == Approx(unknown.high));
  CHECK(p.band_coverage == Approx(unknown.coverage));
  CHECK_THAT(greentrain::describe(p), Catch::Contains("held for 82 % of the measured points"));
}

TEST_CASE("before time passes the model uses the load since boot", "[sensors][cpu-model]") {
  auto sensor = make_cpu_model_sensor(lookup_cpu_tdp("AMD EPYC", 2),
                                      greentrain::test::recorded("vm-no-powercap") / "proc");
  REQUIRE(sensor->probe().available);
  std::error_code ec;
  CHECK(sensor->read(ec).value == Approx(8.0 * CpuCurve{}.fraction(13300.0 / 93800.0)));
}

TEST_CASE("the CPU model is unavailable without /proc/stat", "[sensors][cpu-model]") {
  auto sensor = make_cpu_model_sensor(lookup_cpu_tdp("AMD EPYC", 2), "/nonexistent/proc");
  auto availability = sensor->probe();
  CHECK_FALSE(availability.available);
  CHECK_THAT(availability.reason, Catch::Contains("/nonexistent/proc/stat"));
}
