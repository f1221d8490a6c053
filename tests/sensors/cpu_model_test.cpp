#include <catch2/catch.hpp>

#include "greentrain/sensors/cpu_model.hpp"
#include "sensors/recorded_tree.hpp"

using namespace greentrain::sensors;
using greentrain::test::stat_after;
using greentrain::test::TreeCopy;

TEST_CASE("the Teads curve passes through its published points and interpolates linearly",
          "[sensors][cpu-model]") {
  CHECK(teads_power_fraction(0.0) == Approx(0.12));
  CHECK(teads_power_fraction(0.1) == Approx(0.32));
  CHECK(teads_power_fraction(0.5) == Approx(0.75));
  CHECK(teads_power_fraction(1.0) == Approx(1.02));
  CHECK(teads_power_fraction(0.3) == Approx(0.535));
  CHECK(teads_power_fraction(1.7) == Approx(1.02));
}

TEST_CASE("CodeCarbon's curve is 0.1 + 0.9 load cubed", "[sensors][cpu-model]") {
  CHECK(codecarbon_power_fraction(0.5) == Approx(0.2125));
  CHECK(codecarbon_power_fraction(1.0) == Approx(1.0));
}

TEST_CASE("the model's band reaches from the Teads figure to CodeCarbon's", "[sensors][cpu-model]") {
  auto half = cpu_model_band(0.5);
  CHECK(half.low == Approx(0.2125 / 0.75));
  CHECK(half.high == Approx(1.0));
  auto full = cpu_model_band(1.0);
  CHECK(full.low == Approx(1.0 / 1.02));
}

TEST_CASE("modelled CPU power is TDP times the curve at the load between readings", "[sensors][cpu-model]") {
  TreeCopy tree("vm-no-powercap");
  auto sensor = make_cpu_model_sensor(lookup_cpu_tdp("AMD EPYC", 2), tree.proc());
  CHECK(sensor->kind() == SignalKind::average_power);
  CHECK(sensor->domain() == Domain::cpu_package);
  REQUIRE(sensor->probe().available);
  tree.write("proc/stat", stat_after(60, 40));
  std::error_code ec;
  CHECK(sensor->read(ec).value == Approx(8.0 * (0.75 + 0.27 * 0.2)));  // load 0.6
  CHECK_FALSE(ec);
}

TEST_CASE("the model's provenance names TDP, default and mean load over time", "[sensors][cpu-model]") {
  TreeCopy tree("vm-no-powercap");
  auto sensor = make_cpu_model_sensor(lookup_cpu_tdp("AMD EPYC", 2), tree.proc(), "no RAPL counter");
  REQUIRE(sensor->probe().available);
  std::error_code ec;
  tree.write("proc/stat", stat_after(60, 40));  // 100 ticks at load 0.6
  sensor->read(ec);
  tree.write("proc/stat", stat_after(60 + 60, 40 + 240));  // 300 ticks at load 0.2
  sensor->read(ec);
  auto p = sensor->provenance();
  CHECK(p.basis == greentrain::Basis::modelled);
  CHECK(p.source ==
        "tdp-curve (Teads) 8.0 W TDP [default: 4 W x 2 threads, CPU 'AMD EPYC' not in table] x mean "
        "load 0.30 [no RAPL counter]");
  CHECK(p.band_low == Approx(cpu_model_band(0.3).low));
  CHECK(p.band_high == Approx(1.0));
}

TEST_CASE("before time passes the model uses the load since boot", "[sensors][cpu-model]") {
  auto sensor = make_cpu_model_sensor(lookup_cpu_tdp("AMD EPYC", 2),
                                      greentrain::test::recorded("vm-no-powercap") / "proc");
  REQUIRE(sensor->probe().available);
  std::error_code ec;
  CHECK(sensor->read(ec).value == Approx(8.0 * teads_power_fraction(13300.0 / 93800.0)));
}

TEST_CASE("the CPU model is unavailable without /proc/stat", "[sensors][cpu-model]") {
  auto sensor = make_cpu_model_sensor(lookup_cpu_tdp("AMD EPYC", 2), "/nonexistent/proc");
  auto availability = sensor->probe();
  CHECK_FALSE(availability.available);
  CHECK_THAT(availability.reason, Catch::Contains("/nonexistent/proc/stat"));
}
