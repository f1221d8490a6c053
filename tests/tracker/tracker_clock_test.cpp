// The sampler on a fake clock: its pace, a late sample, the intensity's refresh at valid_until
// and budget alerts, with no real time passing.
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <future>

#include "greentrain/sensors/ram_model.hpp"
#include "greentrain/tracker.hpp"
#include "sensors/recorded_tree.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_machine.hpp"
#include "support/temp_dir.hpp"

using namespace greentrain;
using namespace std::chrono_literals;
using test::FakeClock;
using test::FakeMachine;
using test::Faults;

namespace {

TrackerOptions on_fake_clock(FakeMachine& machine, const test::TempDir& dir, Faults& faults,
                             std::shared_ptr<FakeClock> clock, std::chrono::milliseconds interval) {
  TrackerOptions o = test::options_for(machine, dir, faults);
  o.interval = interval;
  machine.package->clock = machine.ram->clock = clock;  // the sensors read the same time
  o.clock = std::move(clock);
  o.write_csv = o.write_json = false;
  return o;
}

// A tracker on the fake clock whose default discovery reads a recorded machine.
TrackerOptions on_recorded_machine(const test::TreeCopy& tree, const test::TempDir& dir,
                                   Faults& faults, std::shared_ptr<FakeClock> clock) {
  TrackerOptions o;
  o.output_dir = dir.path();
  o.zone = "FR";
  o.intensity = GramsPerKwh{100};
  o.interval = 1h;  // samples only when the test takes them
  o.write_csv = o.write_json = false;
  o.on_error = faults.handler();
  o.clock = std::move(clock);
  o.sensor_roots = {.sys = tree.sys(),
                    .proc = tree.proc(),
                    .nvml_library = "/nonexistent/libnvidia-ml.so.1"};
  return o;
}

// Answers 100 g/kWh at its first call, 200 at the second...; each figure valid for 30 minutes.
// With a gate, the calls after the first wait until the test opens it.
class CountingProvider final : public IntensityProvider {
 public:
  std::atomic<int> calls{0};
  std::promise<void> entered;
  std::shared_future<void> gate;

  std::string_view name() const noexcept override { return "counting"; }
  IntensityReading intensity_at(const Location&, SystemTime at, ProviderFault&) override {
    int call = ++calls;
    if (call > 1 && gate.valid()) {
      if (call == 2) entered.set_value();
      gate.wait();
    }
    return {.intensity = GramsPerKwh{100.0 * call},
            .provenance = {.basis = Basis::measured, .source = "counting"},
            .valid_from = at,
            .valid_until = at + 30min};
  }
};

}  // namespace

TEST_CASE("the sampler keeps its pace and a late sample skips instead of bursting",
          "[tracker][clock]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  auto clock = std::make_shared<FakeClock>();
  EmissionsTracker tracker(on_fake_clock(machine, dir, faults, clock, 1s));
  CHECK(clock->wait_for_sleep(1) == 1s);
  clock->advance(1s);
  CHECK(clock->wait_for_sleep(2) == 2s);  // on the grid, not 1 s after the sample
  CHECK(tracker.samples_after({}).size() == 1);
  machine.add_joules(7.0);
  clock->advance(3500ms);                     // the sampler was held up for three intervals
  CHECK(clock->wait_for_sleep(3) == 5500ms);  // one sample now, the next one interval later
  auto samples = tracker.samples_after({});
  REQUIRE(samples.size() == 2);
  CHECK(samples[1].duration.count() == Approx(3.5));
  CHECK(samples[1].cpu.value == Approx(2.0));  // 7 J over the 3.5 s of the sensor's readings
  CHECK(samples[1].time == clock->start() + 4500ms);
}

TEST_CASE("the intensity is asked again once its reading is no longer valid", "[tracker][clock]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  auto clock = std::make_shared<FakeClock>();
  auto provider = std::make_shared<CountingProvider>();
  auto options = on_fake_clock(machine, dir, faults, clock, 10min);
  options.intensity.reset();
  options.intensity_provider = provider;
  EmissionsTracker tracker(options);
  clock->wait_for_sleep(1);  // the sampler's first wake-up is due 10 minutes after the start
  for (int sleep = 2; sleep <= 4; ++sleep) {  // samples at 10, 20 and 30 minutes
    clock->advance(10min);
    clock->wait_for_sleep(sleep);
  }
  CHECK(provider->calls == 1);  // the interval 20-30 began while the first reading was valid
  clock->advance(10min);
  clock->wait_for_sleep(5);
  CHECK(provider->calls == 2);  // the interval 30-40 began as it expired
  auto samples = tracker.samples_after({});
  REQUIRE(samples.size() == 4);
  CHECK(samples[2].intensity.value == Approx(100));
  CHECK(samples[3].intensity.value == Approx(200));
}

TEST_CASE("a task on another thread ends while the provider is still answering",
          "[tracker][clock][threads]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  auto clock = std::make_shared<FakeClock>();
  auto provider = std::make_shared<CountingProvider>();
  std::promise<void> open;
  provider->gate = open.get_future().share();
  auto options = on_fake_clock(machine, dir, faults, clock, 40min);
  options.intensity.reset();
  options.intensity_provider = provider;
  EmissionsTracker tracker(options);
  clock->wait_for_sleep(1);
  clock->advance(40min);
  clock->wait_for_sleep(2);
  clock->advance(40min);  // the interval 40-80 began after the reading expired: ask again
  provider->entered.get_future().wait();
  auto task = tracker.task("while-the-provider-answers");
  machine.add_joules(3600);
  double task_joules = to_joules(task.stop().cpu.energy).value;
  CHECK(task_joules == Approx(3600));
  CHECK(tracker.latest().tasks.size() == 1);
  CHECK(provider->calls == 2);  // the task did not ask again while the sampler was asking
  open.set_value();
  CHECK(to_joules(tracker.stop().total.cpu.energy).value == Approx(3600));
}

TEST_CASE("the sampler raises budget alerts as the run spends it", "[tracker][clock][budget]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  auto clock = std::make_shared<FakeClock>();
  auto options = on_fake_clock(machine, dir, faults, clock, 1min);
  std::vector<double> alerted;  // written by the sampler while the test waits for its next sleep
  options.budget = CarbonBudget{.run = GramsCo2e{100}, .alert_at = {0.5, 1.0}};
  options.budget->on_alert = [&](const BudgetAlert& a) { alerted.push_back(a.fraction); };
  EmissionsTracker tracker(options);
  clock->wait_for_sleep(1);
  machine.add_joules(0.6 * 3.6e6);  // 0.6 kWh at 100 g/kWh: 60 g
  clock->advance(1min);
  clock->wait_for_sleep(2);
  CHECK(alerted == std::vector<double>{0.5});
  machine.add_joules(0.5 * 3.6e6);
  clock->advance(1min);
  clock->wait_for_sleep(3);
  CHECK(alerted == std::vector<double>{0.5, 1.0});
}

TEST_CASE("the tracker's clock times the readings of the counters it discovers and the figures it is given",
          "[tracker][clock][sensors]") {
  test::TempDir dir;
  test::TreeCopy tree("intel-laptop");
  Faults faults;
  auto clock = std::make_shared<FakeClock>();
  auto options = on_recorded_machine(tree, dir, faults, clock);
  options.gpu_power = Watts{300};
  EmissionsTracker tracker(options);
  tree.write("sys/class/powercap/intel-rapl:0/energy_uj", "21566784539\n");   // package: 30 J more
  tree.write("sys/class/powercap/intel-rapl:0:2/energy_uj", "3462789012\n");  // DRAM: 6 J more
  clock->advance(3s);
  RunResult run = tracker.snapshot();
  REQUIRE(run.samples.size() == 1);
  CHECK(run.samples[0].duration.count() == Approx(3.0));
  CHECK(run.samples[0].cpu.value == Approx(10.0));  // 30 J over the clock's 3 s
  CHECK(run.samples[0].ram.value == Approx(2.0));
  CHECK(to_joules(run.total.gpu.energy).value == Approx(900.0));  // 300 W for the clock's 3 s
  CHECK(faults.messages.empty());
}

TEST_CASE("the tracker's clock times the readings of the models it discovers", "[tracker][clock][sensors]") {
  test::TempDir dir;
  test::TreeCopy tree("vm-no-powercap");
  Faults faults;
  auto clock = std::make_shared<FakeClock>();
  EmissionsTracker tracker(on_recorded_machine(tree, dir, faults, clock));
  clock->advance(2min);
  RunResult run = tracker.snapshot();
  REQUIRE(run.total.ram.present);
  CHECK(run.total.ram.provenance.basis == Basis::modelled);
  double ram_watts = sensors::ram_watts_per_gb * run.info.ram_total_gb;
  REQUIRE(ram_watts > 0.0);
  CHECK(to_joules(run.total.ram.energy).value == Approx(ram_watts * 120.0));
  CHECK(run.samples.at(0).cpu.value > 0.0);  // the CPU model's power over the clock's 2 min
  CHECK(faults.messages.empty());
}

TEST_CASE("each task carries the CPU utilisation of its own intervals, the run their mean",
          "[tracker][clock][usage]") {
  test::TempDir dir;
  test::TreeCopy tree("vm-no-powercap");
  Faults faults;
  auto clock = std::make_shared<FakeClock>();
  EmissionsTracker tracker(on_recorded_machine(tree, dir, faults, clock));
  Emissions light, heavy;
  {
    auto task = tracker.task("light");
    tree.write("proc/stat", test::stat_after(250, 750));  // 25 % of 1000 ticks busy
    clock->advance(10s);
    light = task.stop();
  }
  {
    auto task = tracker.task("heavy");
    tree.write("proc/stat", test::stat_after(250 + 750, 750 + 250));  // then 75 %
    clock->advance(30s);
    heavy = task.stop();
  }
  RunResult run = tracker.stop();
  REQUIRE(light.usage.cpu_utilization_percent);
  REQUIRE(heavy.usage.cpu_utilization_percent);
  CHECK(*light.usage.cpu_utilization_percent == Approx(25.0));
  CHECK(*heavy.usage.cpu_utilization_percent == Approx(75.0));
  REQUIRE(run.total.usage.cpu_utilization_percent);
  CHECK(*run.total.usage.cpu_utilization_percent == Approx((25.0 * 10 + 75.0 * 30) / 40));
  REQUIRE(run.tasks.size() == 2);
  CHECK(run.tasks[1].usage.cpu_utilization_percent == heavy.usage.cpu_utilization_percent);
  CHECK_FALSE(run.total.usage.process_cpu_share);  // machine mode, no pid: nothing attributed
  CHECK(faults.messages.empty());
}

TEST_CASE("in process mode the RAM follows the process's share of the memory in use",
          "[tracker][clock][process]") {
  test::TempDir dir;
  test::TreeCopy tree("vm-no-powercap");  // 351008 kB of memory in use
  std::filesystem::create_directories(tree.proc() / "self");
  auto self_stat = [](int ticks, long resident_pages) {
    return "300 (greentrain) S 1 300 300 0 -1 4194304 100 0 0 0 " + std::to_string(ticks) +
           " 0 0 0 20 0 1 0 30598 3133440 " + std::to_string(resident_pages) + "\n";
  };
  double page_kb = static_cast<double>(::sysconf(_SC_PAGESIZE)) / 1024.0;
  long quarter = static_cast<long>(351008 / 4 / page_kb);  // a quarter of the memory in use
  tree.write("proc/self/stat", self_stat(0, quarter));
  Faults faults;
  auto clock = std::make_shared<FakeClock>();
  auto options = on_recorded_machine(tree, dir, faults, clock);
  options.mode = TrackingMode::process;
  EmissionsTracker tracker(options);
  tree.write("proc/stat", test::stat_after(600, 400));    // the machine: 600 busy ticks
  tree.write("proc/self/stat", self_stat(300, quarter));  // the process: half of them
  clock->advance(10s);
  RunResult run = tracker.stop();
  double ram_share = static_cast<double>(quarter) * page_kb / 351008.0;
  double ram_watts = sensors::modelled_ram_watts(run.info.ram_total_gb);
  CHECK(to_joules(run.total.ram.energy).value == Approx(ram_watts * 10 * ram_share));
  CHECK_THAT(run.total.ram.provenance.source,
             Catch::Contains("x resident-memory share of this process (mean 0.25)"));
  CHECK_THAT(run.total.cpu.provenance.source,
             Catch::Contains("x CPU-time share of this process (mean 0.50)"));
  REQUIRE(run.total.usage.process_cpu_share);
  CHECK(*run.total.usage.process_cpu_share == Approx(0.5));
  CHECK(faults.messages.empty());
}

TEST_CASE(
    "in machine mode with a pid the process tree's CPU energy is reported beside the machine's",
    "[tracker][clock][process]") {
  test::TempDir dir;
  test::TreeCopy tree("vm-no-powercap");
  std::filesystem::create_directories(tree.proc() / "100");
  auto tree_stat = [](int ticks) {
    return "100 (train) S 1 100 100 0 -1 4194304 100 0 0 0 " + std::to_string(ticks) +
           " 0 0 0 20 0 1 0 30598 3133440 407\n";
  };
  tree.write("proc/100/stat", tree_stat(0));
  Faults faults;
  auto clock = std::make_shared<FakeClock>();
  auto options = on_recorded_machine(tree, dir, faults, clock);
  options.pid = 100;
  EmissionsTracker tracker(options);
  tree.write("proc/stat", test::stat_after(600, 400));  // the machine: 600 busy ticks
  tree.write("proc/100/stat", tree_stat(150));          // the tree: a quarter of them
  clock->advance(10s);
  RunResult run = tracker.stop();
  REQUIRE(run.attribution);
  CHECK(run.attribution->pid == 100);
  CHECK(run.attribution->mean_cpu_share == Approx(0.25));
  CHECK(run.attribution->cpu_energy.value == Approx(run.total.cpu.energy.value * 0.25));
  CHECK(run.attribution->emissions.value ==
        Approx(run.attribution->cpu_energy.value * 100.0));  // 100 g/kWh, PUE 1
  REQUIRE(run.total.usage.process_cpu_share);
  CHECK(*run.total.usage.process_cpu_share == Approx(0.25));
  CHECK(faults.messages.empty());
}
