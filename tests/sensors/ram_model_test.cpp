#include <catch2/catch.hpp>

#include "greentrain/sensors/ram_model.hpp"
#include "sensors/recorded_tree.hpp"

using namespace greentrain::sensors;

TEST_CASE("installed RAM is MemTotal in GiB", "[sensors][ram-model]") {
  auto gib = installed_ram_gib(greentrain::test::recorded("vm-no-powercap") / "proc");
  REQUIRE(gib);
  CHECK(*gib == Approx(24684092.0 / 1048576.0));
  CHECK_FALSE(installed_ram_gib("/nonexistent/proc"));
}

TEST_CASE("modelled RAM power is 0.3725 W per GB installed, with its band", "[sensors][ram-model]") {
  auto sensor = make_ram_model_sensor(16.0, "no RAPL dram counter");
  CHECK(sensor->kind() == SignalKind::power);
  CHECK(sensor->domain() == Domain::ram);
  REQUIRE(sensor->probe().available);
  std::error_code ec;
  CHECK(sensor->read(ec).value == Approx(5.96));
  auto p = sensor->provenance();
  CHECK(p.basis == greentrain::Basis::modelled);
  CHECK(p.source == "ram-model (Green Algorithms) 0.3725 W/GB x 16.0 GiB installed [no RAPL dram counter]");
  CHECK(p.band_low == Approx(0.4));
  CHECK(p.band_high == Approx(2.0));
}

TEST_CASE("the RAM model is unavailable when installed memory is unknown", "[sensors][ram-model]") {
  CHECK_FALSE(make_ram_model_sensor(0.0)->probe().available);
}
