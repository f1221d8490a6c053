// The sensors on a fake clock: every reading carries the clock's time, so power over an interval
// is energy over the clock's interval, and the CPU-time reader's reuse window follows the clock.
#include <catch2/catch.hpp>

#include "greentrain/sensors/cpu_model.hpp"
#include "greentrain/sensors/discovery.hpp"
#include "greentrain/sensors/nvml.hpp"
#include "greentrain/sensors/powercap.hpp"
#include "greentrain/sensors/ram_model.hpp"
#include "greentrain/sensors/user_power.hpp"
#include "sensors/fake_gpus.hpp"
#include "sensors/recorded_tree.hpp"
#include "support/fake_clock.hpp"

using namespace greentrain;
using namespace greentrain::sensors;
using namespace std::chrono_literals;
using test::FakeClock;
using test::stat_after;
using test::TreeCopy;

namespace {

double seconds_between(const Reading& first, const Reading& second) {
  return std::chrono::duration<double>(second.at - first.at).count();
}

}  // namespace

TEST_CASE("a RAPL reading carries the clock's time, so its power is energy over the clock's interval",
          "[sensors][powercap][clock]") {
  TreeCopy tree("intel-laptop");
  auto clock = std::make_shared<FakeClock>();
  clock->advance(10h);
  PowercapZone package;
  for (auto& zone : find_powercap_zones(tree.sys()))
    if (zone.id == "intel-rapl:0") package = zone;
  REQUIRE(package.id == "intel-rapl:0");
  auto sensor = make_powercap_sensor(package, {}, "", clock);
  REQUIRE(sensor->probe().available);
  std::error_code ec;
  Reading first = sensor->read(ec);
  CHECK(first.at == clock->steady_now());

  tree.write("sys/class/powercap/intel-rapl:0/energy_uj", "21566784539\n");  // 30 J more
  clock->advance(4s);
  Reading second = sensor->read(ec);
  REQUIRE_FALSE(ec);
  CHECK(second.at == SteadyTime{} + 10h + 4s);
  CHECK(second.value - first.value == Approx(30.0));
  CHECK((second.value - first.value) / seconds_between(first, second) == Approx(7.5));
}

TEST_CASE("the CPU-time reader reads /proc/stat again only once the clock passes its reuse window",
          "[sensors][cpu-time][clock]") {
  TreeCopy tree("vm-no-powercap");
  auto clock = std::make_shared<FakeClock>();
  MachineCpuTime machine(tree.proc(), 1min, clock);
  CHECK(machine.clock() == clock);
  std::error_code ec;
  CHECK(machine.read(ec).busy == 13300);
  tree.write("proc/stat", stat_after(60, 40));
  clock->advance(59s);
  CHECK(machine.read(ec).busy == 13300);  // within the window: the previous reading
  clock->advance(1s);
  CpuTicks later = machine.read(ec);
  REQUIRE_FALSE(ec);
  CHECK(later.busy == 13360);
  CHECK(later.total == 93900);
}

TEST_CASE("the CPU model's load covers the clock's interval and its readings carry the clock's time",
          "[sensors][cpu-model][clock]") {
  TreeCopy tree("vm-no-powercap");
  auto clock = std::make_shared<FakeClock>();
  // Shared as discovery shares it, with a reuse window long enough to see on the fake clock.
  auto machine = std::make_shared<MachineCpuTime>(tree.proc(), 30s, clock);
  auto sensor = make_cpu_model_sensor(lookup_cpu_tdp("AMD EPYC", 2), machine);
  REQUIRE(sensor->probe().available);
  std::error_code ec;
  Reading since_boot = sensor->read(ec);
  double boot_watts = 8.0 * CpuCurve{}.fraction(13300.0 / 93800.0);
  CHECK(since_boot.value == Approx(boot_watts));
  CHECK(since_boot.at == SteadyTime{});

  tree.write("proc/stat", stat_after(60, 40));  // load 0.6 from here on
  clock->advance(10s);
  Reading early = sensor->read(ec);
  CHECK(early.value == Approx(boot_watts));  // the interval has not ended on the clock yet
  CHECK(seconds_between(since_boot, early) == Approx(10.0));

  clock->advance(25s);
  Reading late = sensor->read(ec);
  REQUIRE_FALSE(ec);
  CHECK(late.value == Approx(8.0 * CpuCurve{}.fraction(0.6)));
  CHECK(seconds_between(since_boot, late) == Approx(35.0));
}

TEST_CASE("power models, a user's figure and NVML stamp their readings with the clock's time",
          "[sensors][clock]") {
  auto clock = std::make_shared<FakeClock>();
  clock->advance(90min);
  test::FakeGpus machine{{"FAKE_NVML_COUNT", "1"}, {"FAKE_NVML_POWER", "250500"}};
  auto gpus = find_nvml_devices(FAKE_NVML_LIBRARY, clock);
  REQUIRE(gpus.sensors.size() == 1);
  SensorList sensors;
  sensors.push_back(std::move(gpus.sensors[0]));
  sensors.push_back(make_ram_model_sensor(16.0, "", clock));
  sensors.push_back(make_user_power_sensor(Component::cpu, Watts{65}, clock));
  for (auto& sensor : sensors) {
    INFO(sensor->name());
    REQUIRE(sensor->probe().available);
    std::error_code ec;
    CHECK(sensor->read(ec).at == SteadyTime{} + 90min);
    CHECK_FALSE(ec);
  }
}

TEST_CASE("discovery hands its clock to every sensor it selects and to its CPU-time reader",
          "[sensors][discovery][clock]") {
  auto clock = std::make_shared<FakeClock>();
  clock->advance(5s);
  for (const char* machine : {"intel-laptop", "vm-no-powercap"}) {
    INFO(machine);
    auto root = test::recorded(machine);
    auto found = discover(
        {.sys = root / "sys", .proc = root / "proc", .nvml_library = "/nonexistent/libnvidia-ml.so.1"},
        clock);
    apply_power_overrides(found, {.gpu = Watts{300}}, clock);
    REQUIRE(found.selected.size() == 3);  // cpu, ram and the user's gpu
    REQUIRE(found.machine_cpu_time);
    CHECK(found.machine_cpu_time->clock() == clock);
    for (auto& sensor : found.selected) {
      INFO(sensor->name());
      std::error_code ec;
      CHECK(sensor->read(ec).at == SteadyTime{} + 5s);
    }
  }
}
