#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

#include "greentrain/error.hpp"
#include "greentrain/outputs/callback.hpp"
#include "greentrain/summary.hpp"
#include "greentrain/tracker.hpp"
#include "support/fake_machine.hpp"
#include "support/fake_sensor.hpp"
#include "support/temp_dir.hpp"
#include "tracker/location_notice.hpp"

using namespace greentrain;
using greentrain::test::FakeSensor;

using test::Faults;
using test::FakeMachine;
using test::options_for;

TEST_CASE("the tracker counts the energy between its start and stop", "[tracker]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  EmissionsTracker tracker(options_for(machine, dir, faults));
  machine.add_joules(3.6e6);  // 1 kWh
  const RunResult& run = tracker.stop();
  CHECK(run.total.cpu.energy.value == Approx(1.0));
  CHECK(run.total.cpu.provenance.basis == Basis::measured);
  CHECK(run.total.ram.provenance.basis == Basis::modelled);
  CHECK(run.total.emissions.value == Approx(100.0).epsilon(0.01));  // 1 kWh x 100 g (+ tiny RAM)
  CHECK(run.total.intensity_provenance.basis == Basis::user);
  CHECK(run.info.location.zone == "FR");
  CHECK(faults.messages.empty());
}

TEST_CASE("tasks measure their own interval, even when they overlap", "[tracker][task]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  EmissionsTracker tracker(options_for(machine, dir, faults));
  machine.add_joules(1000);
  auto outer = tracker.task("outer");
  machine.add_joules(2000);
  auto inner = tracker.task("inner");
  machine.add_joules(4000);
  Emissions outer_figures = outer.stop();
  machine.add_joules(8000);
  Emissions inner_figures = inner.stop();
  CHECK(to_joules(outer_figures.cpu.energy).value == Approx(6000));
  CHECK(to_joules(inner_figures.cpu.energy).value == Approx(12000));
  const RunResult& run = tracker.stop();
  CHECK(to_joules(run.total.cpu.energy).value == Approx(15000));
  REQUIRE(run.tasks.size() == 2);
  CHECK(run.tasks[0].task == "outer");
  CHECK(run.tasks[1].task == "inner");
}

TEST_CASE("two trackers in one process each report their own interval", "[tracker]") {
  test::TempDir dir_a, dir_b;
  FakeMachine machine;  // one package counter, read by both trackers
  Faults faults;
  auto a = std::make_unique<EmissionsTracker>(options_for(machine, dir_a, faults));
  machine.add_joules(100);
  EmissionsTracker b(options_for(machine, dir_b, faults));
  machine.add_joules(200);
  double a_joules = to_joules(a->stop().total.cpu.energy).value;
  machine.add_joules(400);
  double b_joules = to_joules(b.stop().total.cpu.energy).value;
  CHECK(a_joules == Approx(300));
  CHECK(b_joules == Approx(600));
}

TEST_CASE("stop is idempotent and the destructor writes the outputs once", "[tracker]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  {
    EmissionsTracker tracker(options_for(machine, dir, faults));
    machine.add_joules(500);
    const RunResult& first = tracker.stop();
    machine.add_joules(500);
    const RunResult& second = tracker.stop();
    CHECK(&first == &second);
    CHECK(to_joules(second.total.cpu.energy).value == Approx(500));
  }
  std::ifstream csv(dir / "emissions.csv");
  int lines = 0;
  for (std::string line; std::getline(csv, line);) ++lines;
  CHECK(lines == 2);  // header and one row
}

TEST_CASE("flush writes a row of the figures so far and the run goes on", "[tracker]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  EmissionsTracker tracker(options_for(machine, dir, faults));
  machine.add_joules(1000);
  RunResult so_far = tracker.flush();
  machine.add_joules(1000);
  const RunResult& last = tracker.stop();
  CHECK(to_joules(so_far.total.cpu.energy).value == Approx(1000));
  CHECK(to_joules(last.total.cpu.energy).value == Approx(2000));
  std::ifstream csv(dir / "emissions.csv");
  int lines = 0;
  for (std::string line; std::getline(csv, line);) ++lines;
  CHECK(lines == 3);
}

TEST_CASE("a failing sensor goes to the handler and marks the figures degraded", "[tracker]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  EmissionsTracker tracker(options_for(machine, dir, faults));
  {
    std::lock_guard lock(machine.package->mutex);
    machine.package->fault = std::make_error_code(std::errc::io_error);
  }
  const RunResult& run = tracker.stop();
  CHECK(run.total.degraded);
  CHECK(run.total.cpu.provenance.degraded);
  REQUIRE(faults.messages.size() == 1);
  CHECK_THAT(faults.messages[0], Catch::Contains("powercap:intel-rapl:0 package-0"));
}

TEST_CASE("an output that cannot be written is reported and the result is kept", "[tracker]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  auto options = options_for(machine, dir, faults);
  std::ofstream(dir / "not-a-dir") << "a file where the output directory should be";
  options.output_dir = dir / "not-a-dir";
  EmissionsTracker tracker(options);
  machine.add_joules(3600);
  const RunResult& run = tracker.stop();
  CHECK(to_joules(run.total.cpu.energy).value == Approx(3600));
  REQUIRE(faults.messages.size() == 2);  // csv and json
  CHECK_THAT(faults.messages[0], Catch::Contains("could not be written"));
}

TEST_CASE("bad options are refused with what was wrong", "[tracker][options]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  auto options = options_for(machine, dir, faults);

  SECTION("two locations") {
    options.country = "FRA";
    CHECK_THROWS_WITH(EmissionsTracker(options), Catch::Contains("at most one of zone"));
  }
  SECTION("a PUE below 1") {
    options.pue = 0.8;
    CHECK_THROWS_WITH(EmissionsTracker(options), Catch::Contains("PUE must be between 1.0"));
  }
  SECTION("a zero interval") {
    options.interval = std::chrono::milliseconds(0);
    CHECK_THROWS_WITH(EmissionsTracker(options), Catch::Contains("interval must be positive"));
  }
  SECTION("a cloud region without provider") {
    options.zone.clear();
    options.cloud_region = "europe-west9";
    CHECK_THROWS_WITH(EmissionsTracker(options), Catch::Contains("gcp:europe-west9"));
  }
  SECTION("an unknown zone names the nearest ones") {
    options.zone = "FX";
    try {
      EmissionsTracker tracker(options);
      FAIL("an unknown zone was accepted");
    } catch (const greentrain::error& e) {
      CHECK(e.code() == errc::unknown_location);
      CHECK_THAT(e.what(), Catch::Contains("FR"));
    }
  }
}

TEST_CASE("the cloud provider's PUE applies unless the user sets one", "[tracker][options]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  auto options = options_for(machine, dir, faults);
  options.zone.clear();
  options.cloud_region = "aws:eu-west-3";
  EmissionsTracker aws(options);
  CHECK(aws.stop().info.pue == Approx(1.135));
  options.pue = 1.3;
  EmissionsTracker own(options);
  CHECK(own.stop().info.pue == Approx(1.3));
}

namespace {

class UnreachableProvider final : public IntensityProvider {
 public:
  std::string_view name() const noexcept override { return "unreachable"; }
  // Sets only the code, as a user's provider may: the tracker still names the failure.
  IntensityReading intensity_at(const Location&, SystemTime, ProviderFault& fault) override {
    fault.code = errc::timeout;
    return {};
  }
};

struct ProviderRun {
  RunResult run;
  std::vector<std::string> faults;
};

// One kWh measured while `provider` answers the intensity.
ProviderRun run_one_kwh(std::shared_ptr<IntensityProvider> provider) {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  auto options = options_for(machine, dir, faults);
  options.intensity.reset();
  options.intensity_provider = std::move(provider);
  EmissionsTracker tracker(options);
  machine.add_joules(3.6e6);
  RunResult run = tracker.stop();
  return {std::move(run), faults.messages};
}

class ImpossibleProvider final : public IntensityProvider {
 public:
  std::string_view name() const noexcept override { return "spiky"; }
  IntensityReading intensity_at(const Location&, SystemTime at, ProviderFault& fault) override {
    fault.clear();
    return {GramsPerKwh{1e300}, Signal::average, {Basis::measured, "spiky"}, at, at, {}};
  }
};

}  // namespace

TEST_CASE("a provider that fails from the start falls back to the embedded figure, labelled",
          "[tracker][intensity]") {
  auto [run, faults] = run_one_kwh(std::make_shared<UnreachableProvider>());
  CHECK(run.total.intensity_provenance.degraded);
  CHECK_THAT(run.total.intensity_provenance.source,
             Catch::Contains("zone FR") && Catch::Contains("fallback: unreachable failed"));
  CHECK(run.total.mean_intensity.value > 10);  // France's yearly figure, not zero
  REQUIRE_FALSE(faults.empty());
}

TEST_CASE("a provider's impossible figure is never used: the embedded one is, labelled",
          "[tracker][intensity]") {
  auto [run, faults] = run_one_kwh(std::make_shared<ImpossibleProvider>());
  CHECK(run.total.intensity_provenance.degraded);
  CHECK(run.total.mean_intensity.value < 5000);
  REQUIRE_FALSE(faults.empty());
  CHECK_THAT(faults.front(),
             Catch::Contains("spiky answered an impossible figure for zone FR: 1e+300 g/kWh"));
}

TEST_CASE("a run on a machine with no counter at all is modelled, and labelled so",
          "[tracker][sensors]") {
  test::TempDir dir;
  Faults faults;
  TrackerOptions options;
  options.output_dir = dir.path();
  options.zone = "DE";
  options.on_error = faults.handler();
  std::filesystem::path tree = GREENTRAIN_TEST_DATA "/sensors/vm-no-powercap";
  options.discover = [tree] {
    return sensors::discover({.sys = tree / "sys", .proc = tree / "proc"});
  };
  EmissionsTracker tracker(options);
  const RunResult& run = tracker.stop();
  CHECK(run.total.cpu.present);
  CHECK(run.total.cpu.provenance.basis == Basis::modelled);
  CHECK_THAT(run.total.cpu.provenance.source, Catch::Contains("tdp-curve"));
  // Two-sided around the figure, or wholly above it for a CPU the TDP table lacks: never x1-x1.
  CHECK(run.total.cpu.provenance.band_low < run.total.cpu.provenance.band_high);
  CHECK(run.total.cpu.provenance.band_high > 1.0);
  CHECK(run.total.cpu.provenance.band_coverage > 0.0);
  CHECK(run.total.ram.provenance.basis == Basis::modelled);
  CHECK_FALSE(run.total.gpu.present);
  CHECK(run.total.intensity_provenance.basis == Basis::default_table);
}

TEST_CASE("the run keeps a time series of power, intensity and cumulative emissions",
          "[tracker][samples]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  EmissionsTracker tracker(options_for(machine, dir, faults));
  machine.add_joules(3.6e6);  // 1 kWh in the first interval
  tracker.flush();
  machine.add_joules(3.6e6);  // 1 kWh in the second
  const RunResult& run = tracker.stop();
  REQUIRE(run.samples.size() == 2);
  CHECK(run.samples[0].intensity.value == Approx(100.0));
  CHECK(run.samples[0].cpu.value > 0.0);
  CHECK(run.samples[0].cumulative.value == Approx(100.0).epsilon(0.01));
  CHECK(run.samples[1].cumulative.value == Approx(run.total.emissions.value));
  CHECK(run.samples[0].time <= run.samples[1].time);
  CHECK(tracker.samples_after(run.samples[0].time).size() == 1);
}

TEST_CASE("latest shows the figures of the last sample without taking one", "[tracker]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  EmissionsTracker tracker(options_for(machine, dir, faults));
  machine.add_joules(3.6e6);
  tracker.flush();
  machine.add_joules(3.6e6);  // not yet sampled
  CHECK(tracker.latest().total.cpu.energy.value == Approx(1.0));
  CHECK(tracker.latest().samples.size() == 1);
  CHECK(tracker.stop().total.cpu.energy.value == Approx(2.0));
}

TEST_CASE("samples microseconds apart still show a steady power exactly", "[tracker][samples]") {
  test::TempDir dir;
  Faults faults;
  TrackerOptions options = options_for(*std::make_unique<FakeMachine>(), dir, faults);
  options.discover = [] {
    sensors::Discovery d;
    auto cpu = std::make_unique<FakeSensor>("test:cpu", sensors::Domain::cpu_package,
                                            sensors::SignalKind::power, test::measured("test:cpu"));
    cpu->set(42.5);
    d.selected.push_back(std::move(cpu));
    return d;
  };
  EmissionsTracker tracker(options);
  for (int i = 0; i < 20; ++i) {
    auto task = tracker.task("edge");  // a sample at each end, back to back
  }
  const RunResult& run = tracker.stop();
  REQUIRE(run.samples.size() >= 20);
  for (const auto& sample : run.samples) CHECK(sample.cpu.value == Approx(42.5).epsilon(1e-9));
}

namespace {

struct Notices {
  std::vector<std::string> messages;
  NoticeHandler handler() {
    return [this](const std::string& m) { messages.push_back(m); };
  }
};

// Options that name no location and force no intensity: the embedded tables answer.
TrackerOptions unlocated(FakeMachine& machine, const test::TempDir& dir, Faults& faults) {
  auto options = options_for(machine, dir, faults);
  options.zone.clear();
  options.intensity.reset();
  return options;
}

}  // namespace

TEST_CASE("with no location the tracker says once which figure it uses and how to set one",
          "[tracker][location]") {
  detail::forget_location_notices();
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  Notices notices;
  auto options = unlocated(machine, dir, faults);
  options.on_notice = notices.handler();
  EmissionsTracker first(options);
  machine.add_joules(3.6e6);
  const RunResult& run = first.stop();
  EmissionsTracker second(options);
  second.stop();

  REQUIRE(notices.messages.size() == 1);
  const std::string& notice = notices.messages[0];
  CHECK_THAT(notice, Catch::StartsWith("no location given: the grid intensity is the world average, " +
                                       std::to_string(std::lround(run.total.mean_intensity.value)) +
                                       " g/kWh (Ember "));
  CHECK_THAT(notice, Catch::Contains("--zone FR") && Catch::Contains("GREENTRAIN_ZONE=FR") &&
                         Catch::Contains("zone = \"FR\" in greentrain.toml") &&
                         Catch::Contains("location = \"auto\""));
  CHECK(run.info.location.country_name.empty());
}

TEST_CASE("a guessed location is labelled in the provenance and said once", "[tracker][location]") {
  detail::forget_location_notices();
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  Notices notices;
  auto options = unlocated(machine, dir, faults);
  options.country = "FR";
  options.location_note = "guessed from time zone Europe/Paris";
  options.on_notice = notices.handler();
  EmissionsTracker tracker(options);
  machine.add_joules(3.6e6);
  const RunResult& run = tracker.stop();
  CHECK_THAT(run.total.intensity_provenance.source,
             Catch::StartsWith("Ember ") &&
                 Catch::EndsWith("; location guessed from time zone Europe/Paris"));
  REQUIRE(notices.messages.size() == 1);
  CHECK_THAT(notices.messages[0],
             Catch::StartsWith("the location is a guess: France, guessed from time zone Europe/Paris"));
}

TEST_CASE("a zone and a country answer from different tables, each naming itself and its year",
          "[tracker][location]") {
  auto run_in = [](auto set_location) {
    test::TempDir dir;
    FakeMachine machine;
    Faults faults;
    auto options = unlocated(machine, dir, faults);
    set_location(options);
    EmissionsTracker tracker(options);
    machine.add_joules(3.6e6);
    return tracker.stop();
  };
  RunResult zone = run_in([](TrackerOptions& o) { o.zone = "FR"; });
  RunResult country = run_in([](TrackerOptions& o) { o.country = "FR"; });
  CHECK_THAT(zone.total.intensity_provenance.source,
             Catch::Matches("Electricity Maps 20[0-9][0-9] yearly average, zone FR"));
  CHECK_THAT(country.total.intensity_provenance.source,
             Catch::Matches("Ember 20[0-9][0-9] yearly average, country FRA"));
  CHECK(zone.total.mean_intensity.value != Approx(country.total.mean_intensity.value));
  CHECK_THAT(summary(zone), Catch::Contains("Electricity Maps 20"));
  CHECK_THAT(summary(country), Catch::Contains("Ember 20"));
}

TEST_CASE("a power the user states replaces the CPU counter and is labelled so",
          "[tracker][sensors]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  auto options = options_for(machine, dir, faults);
  options.cpu_power = Watts{65};
  EmissionsTracker tracker(options);
  machine.add_joules(3.6e6);  // the counter's kWh is not counted: the user's 65 W is
  const RunResult& run = tracker.stop();
  CHECK(run.total.cpu.provenance.basis == Basis::user);
  CHECK_THAT(run.total.cpu.provenance.source, Catch::StartsWith("given by the user: 65 W"));
  CHECK(run.total.cpu.energy.value < 0.001);
  REQUIRE_FALSE(run.samples.empty());
  CHECK(run.samples.back().cpu.value == Approx(65.0));
  CHECK(run.total.ram.provenance.basis == Basis::modelled);

  options.gpu_power = Watts{-1};
  CHECK_THROWS_WITH(EmissionsTracker(options),
                    Catch::Contains("gpu_power must be a power in watts above 0"));
}

TEST_CASE("request_stop asks the training loop to stop and the run still writes its row",
          "[tracker]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  {
    EmissionsTracker tracker(options_for(machine, dir, faults));
    CHECK_FALSE(tracker.stop_requested());
    tracker.request_stop();  // what a SIGTERM handler does
    CHECK(tracker.stop_requested());
    machine.add_joules(3.6e6);
    CHECK(tracker.stop().total.cpu.energy.value == Approx(1.0));
  }
  std::ifstream csv(dir.path() / "emissions.csv");
  std::string header, row, extra;
  CHECK(std::getline(csv, header));
  CHECK(std::getline(csv, row));
  CHECK_FALSE(std::getline(csv, extra));
  CHECK(faults.messages.empty());
}

namespace {

// Throws what it is given: a std::exception or something that is not one.
template <typename Thrown>
class ThrowingProvider final : public IntensityProvider {
 public:
  explicit ThrowingProvider(Thrown thrown) : thrown_(thrown) {}
  std::string_view name() const noexcept override { return "throwing"; }
  IntensityReading intensity_at(const Location&, SystemTime, ProviderFault&) override {
    throw thrown_;
  }

 private:
  Thrown thrown_;
};

}  // namespace

TEST_CASE("whatever a provider or an output throws is reported and the run goes on",
          "[tracker][faults]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  auto options = options_for(machine, dir, faults);
  options.write_json = false;
  options.intensity.reset();
  std::string thrown;
  SECTION("a std::runtime_error") {
    thrown = "disk on fire";
    options.intensity_provider =
        std::make_shared<ThrowingProvider<std::runtime_error>>(std::runtime_error("no route"));
    options.outputs.push_back(std::make_shared<CallbackOutput>(
        [](const RunResult&, auto) { throw std::runtime_error("disk on fire"); }));
  }
  SECTION("an int") {
    thrown = "not a std::exception";
    options.intensity_provider = std::make_shared<ThrowingProvider<int>>(42);
    options.outputs.push_back(
        std::make_shared<CallbackOutput>([](const RunResult&, auto) { throw 42; }));
  }
  EmissionsTracker tracker(options);
  machine.add_joules(3.6e6);
  const RunResult& run = tracker.stop();
  CHECK(to_joules(run.total.cpu.energy).value == Approx(3.6e6));
  CHECK_THAT(run.total.intensity_provenance.source, Catch::Contains("fallback: throwing failed"));
  REQUIRE(faults.messages.size() == 2);
  CHECK_THAT(faults.messages[0], Catch::Contains("throwing provider failed"));
  CHECK_THAT(faults.messages[1],
             Catch::Contains("callback output could not be written") && Catch::Contains(thrown));
  std::ifstream csv(dir / "emissions.csv");  // the other outputs are still written
  int lines = 0;
  for (std::string line; std::getline(csv, line);) ++lines;
  CHECK(lines == 2);
}
