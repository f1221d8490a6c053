#include <catch2/catch.hpp>
#include <fstream>

#include "greentrain/error.hpp"
#include "greentrain/report.hpp"
#include "greentrain/tracker.hpp"
#include "support/package_counter.hpp"
#include "support/temp_dir.hpp"

using namespace greentrain;

namespace {

// A finished run with two tasks, written to `dir` by the tracker itself; returns its result.
RunResult tracked_run(const test::TempDir& dir, std::string run_id) {
  test::PackageCounter package;
  TrackerOptions o;
  o.project = "files";
  o.run_id = std::move(run_id);
  o.output_dir = dir.path();
  o.interval = std::chrono::hours(1);
  o.zone = "FR";
  o.intensity = GramsPerKwh{100};
  o.on_error = [](std::error_code, const std::string&) {};
  o.discover = package.discover();
  EmissionsTracker tracker(o);
  auto add = [&](double joules) { package.add_joules(joules); };
  {
    auto task = tracker.task("epoch-0");
    add(3.6e5);
  }
  {
    auto task = tracker.task("epoch-1");
    add(7.2e5);
  }
  return tracker.stop();
}

}  // namespace

TEST_CASE("a run read back from its files has its figures, tasks and provenance",
          "[report][files]") {
  test::TempDir dir;
  RunResult written = tracked_run(dir, "first");
  tracked_run(dir, "second");
  RunResult run = read_run(dir.path() / "emissions.csv", "first");
  CHECK(run.info.run_id == "first");
  CHECK(run.info.project == "files");
  CHECK(run.total.cpu.energy.value == Approx(0.3).epsilon(1e-6));
  CHECK(run.total.emissions.value == Approx(written.total.emissions.value).epsilon(1e-6));
  REQUIRE(run.tasks.size() == 2);
  CHECK(run.tasks[1].task == "epoch-1");
  CHECK(run.tasks[1].cpu.energy.value == Approx(0.2).epsilon(1e-6));
  CHECK(run.total.cpu.provenance.basis == Basis::measured);  // from the JSON result
  CHECK(run.tasks[0].cpu.provenance.source == "powercap:intel-rapl:0 package-0");
  CHECK(run.samples.size() == written.samples.size());
  CHECK(markdown_report(run).find("| Emissions | 0.03 kg CO2e |") != std::string::npos);
}

TEST_CASE("without a run id the last run of the file is read", "[report][files]") {
  test::TempDir dir;
  tracked_run(dir, "first");
  tracked_run(dir, "second");
  std::filesystem::remove(dir.path() / "greentrain-second.json");
  RunResult run = read_run(dir.path() / "emissions.csv");
  CHECK(run.info.run_id == "second");
  CHECK(run.samples.empty());
  CHECK(run.total.cpu.provenance.source.find("does not record") != std::string::npos);
}

TEST_CASE("an unknown run id is refused, naming the column to look at", "[report][files]") {
  test::TempDir dir;
  tracked_run(dir, "first");
  CHECK_THROWS_WITH(read_run(dir.path() / "emissions.csv", "nope"),
                    Catch::Contains("no run 'nope'") && Catch::Contains("run_id column"));
  CHECK_THROWS_AS(read_run(dir.path() / "missing.csv"), greentrain::error);
}

TEST_CASE("a tracker asked for a report writes it when it stops", "[report][output]") {
  test::TempDir dir;
  test::PackageCounter package;
  TrackerOptions o;
  o.run_id = "reported";
  o.output_dir = dir.path();
  o.interval = std::chrono::hours(1);
  o.intensity = GramsPerKwh{100};
  o.write_report = true;
  o.discover = package.discover();
  {
    EmissionsTracker tracker(o);
    package.add_joules(3.6e6);
  }
  std::ifstream md(dir.path() / "greentrain-report-reported.md");
  std::string first_line;
  std::getline(md, first_line);
  CHECK(first_line == "# Emissions report: greentrain, run reported");
  CHECK(std::filesystem::exists(dir.path() / "greentrain-report-reported.html"));
}

TEST_CASE("the trainer's forecast is read from its summary", "[report][files]") {
  auto prediction = read_prediction(GREENTRAIN_TEST_DATA "/report/train-summary.json");
  REQUIRE(prediction);
  CHECK(prediction->duration.count() == Approx(540.0));
  REQUIRE(prediction->energy);
  CHECK(prediction->energy->value == Approx(0.0121));  // 43560 J
  CHECK_FALSE(read_prediction(GREENTRAIN_TEST_DATA "/report/no-forecast.json"));
  CHECK_THROWS_AS(read_prediction(GREENTRAIN_TEST_DATA "/report/missing.json"), greentrain::error);
}

TEST_CASE("a torn last row is refused with its file and line, never reported as zeros",
          "[report][files]") {
  test::TempDir dir;
  tracked_run(dir, "first");
  std::ofstream(dir.path() / "emissions.csv", std::ios::app)
      << "2026-01-15T10:11:12.000000+00:00,files,second,,12.5,0.00";  // a full disk's row
  CHECK_THROWS_WITH(read_run(dir.path() / "emissions.csv"),
                    Catch::Contains("emissions.csv line 3: 6 fields where the header has 38") &&
                        Catch::Contains("cut short"));
}

TEST_CASE("a run row without its figures is refused, not read as zero", "[report][files]") {
  test::TempDir dir;
  std::ofstream(dir.path() / "emissions.csv")
      << "timestamp,project_name,run_id,duration,emissions,energy_consumed\n"
         "2026-01-15T10:11:12,p,r,12.5,,\n";
  CHECK_THROWS_WITH(read_run(dir.path() / "emissions.csv"),
                    Catch::Contains("line 2: no 'energy_consumed' figure"));
}

TEST_CASE("report of a directory or a device says what it is instead of reading it",
          "[report][files]") {
  test::TempDir dir;
  CHECK_THROWS_WITH(read_run(dir.path()), Catch::Contains("is a directory"));
  CHECK_THROWS_WITH(read_run("/dev/zero"), Catch::Contains("/dev/zero is a character device"));
}
