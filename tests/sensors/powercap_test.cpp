#include <catch2/catch.hpp>

#include <cerrno>

#include "greentrain/sensors/powercap.hpp"
#include "sensors/recorded_tree.hpp"

using namespace greentrain::sensors;
using greentrain::test::recorded;
using greentrain::test::TreeCopy;

namespace {

const PowercapZone& zone(const std::vector<PowercapZone>& zones, const std::string& id) {
  for (const auto& z : zones)
    if (z.id == id) return z;
  FAIL("no zone " << id);
  throw;
}

int deny_energy_uj(const std::filesystem::path& path) {
  if (path.filename() == "energy_uj") {
    errno = EACCES;
    return -1;
  }
  return open_read_only(path);
}

}  // namespace

TEST_CASE("powercap zones are known by their name file, not their numbering", "[sensors][powercap]") {
  auto xeon = find_powercap_zones(recorded("xeon-2s") / "sys");
  REQUIRE(xeon.size() == 4);
  CHECK(zone(xeon, "intel-rapl:0:0").domain == Domain::dram);
  CHECK(zone(xeon, "intel-rapl:1").domain == Domain::cpu_package);

  auto laptop = find_powercap_zones(recorded("intel-laptop") / "sys");
  CHECK(zone(laptop, "intel-rapl:0:0").domain == Domain::cpu_core);
  CHECK(zone(laptop, "intel-rapl:0:2").domain == Domain::dram);
  CHECK(zone(laptop, "intel-rapl:1").domain == Domain::psys);
  CHECK(zone(laptop, "intel-rapl-mmio:0").control_type == "intel-rapl-mmio");
}

TEST_CASE("a subzone belongs to the socket of its parent zone", "[sensors][powercap]") {
  auto xeon = find_powercap_zones(recorded("xeon-2s") / "sys");
  const auto& dram = zone(xeon, "intel-rapl:1:0");
  CHECK(dram.package == 1);
  CHECK(dram.parent_id == "intel-rapl:1");
}

TEST_CASE("zones are found in the devices tree when class/powercap is missing", "[sensors][powercap]") {
  auto epyc = find_powercap_zones(recorded("amd-epyc") / "sys");
  REQUIRE(epyc.size() == 4);
  const auto& second_die = zone(epyc, "intel-rapl:1");
  CHECK(second_die.label == "package-0-die-1");
  CHECK(second_die.package == 0);
  CHECK(second_die.die == 1);
  CHECK(zone(epyc, "intel-rapl:1:0").domain == Domain::cpu_core);
}

TEST_CASE("a powercap sensor is named after its zone and reads energy_uj as joules", "[sensors][powercap]") {
  auto zones = find_powercap_zones(recorded("intel-laptop") / "sys");
  auto sensor = make_powercap_sensor(zone(zones, "intel-rapl:0"));
  CHECK(sensor->name() == "powercap:intel-rapl:0 package-0");
  CHECK(sensor->kind() == SignalKind::energy_counter);
  REQUIRE(sensor->probe().available);
  std::error_code ec;
  auto reading = sensor->read(ec);
  CHECK_FALSE(ec);
  CHECK(reading.value == Approx(21536.784539));
  CHECK(sensor->provenance().basis == greentrain::Basis::measured);
  CHECK(sensor->provenance().source == "powercap:intel-rapl:0 package-0");
}

TEST_CASE("RAPL counter wrap adds max_energy_range", "[sensors][powercap]") {
  TreeCopy tree("intel-laptop");
  auto zones = find_powercap_zones(tree.sys());
  auto sensor = make_powercap_sensor(zone(zones, "intel-rapl:0"));
  REQUIRE(sensor->probe().available);
  std::error_code ec;
  tree.write("sys/class/powercap/intel-rapl:0/energy_uj", "262143000000\n");
  double before = sensor->read(ec).value;
  tree.write("sys/class/powercap/intel-rapl:0/energy_uj", "1000000\n");
  double after = sensor->read(ec).value;
  CHECK_FALSE(ec);
  // 262143328850 - 262143000000 uJ to the wrap, then 1 J after it.
  CHECK(after - before == Approx(0.328850 + 1.0));
  tree.write("sys/class/powercap/intel-rapl:0/energy_uj", "3000000\n");
  CHECK(sensor->read(ec).value - after == Approx(2.0));
}

TEST_CASE("a root-only energy_uj is reported with the command that fixes it", "[sensors][powercap]") {
  auto sys = recorded("intel-laptop") / "sys";
  auto zones = find_powercap_zones(sys);
  auto sensor = make_powercap_sensor(zone(zones, "intel-rapl:0"), deny_energy_uj);
  auto availability = sensor->probe();
  CHECK_FALSE(availability.available);
  CHECK_THAT(availability.reason, Catch::Contains("readable by root only"));
  CHECK_THAT(availability.fix,
             Catch::Contains("sudo chmod o+r " + sys.string() + "/class/powercap/intel-rapl:*/energy_uj"));
  CHECK_THAT(availability.fix, Catch::Contains("udev"));
  std::error_code ec;
  sensor->read(ec);
  CHECK(ec);
}

TEST_CASE("a counter that stops holding a number is a read fault that keeps the last value",
          "[sensors][powercap]") {
  TreeCopy tree("xeon-2s");
  auto zones = find_powercap_zones(tree.sys());
  auto sensor = make_powercap_sensor(zone(zones, "intel-rapl:1"));
  REQUIRE(sensor->probe().available);
  tree.write("sys/class/powercap/intel-rapl:1/energy_uj", "not a number\n");
  std::error_code ec;
  auto reading = sensor->read(ec);
  CHECK(ec);
  CHECK(reading.value == Approx(120000.0));
  CHECK(sensor->provenance().degraded);
}
