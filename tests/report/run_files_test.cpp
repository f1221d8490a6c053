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
                    Catch::Contains("emissions.csv line 3: 6 fields where the header has 39") &&
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

TEST_CASE("a run with a PUE reads back its components as IT energy", "[report][files]") {
  test::TempDir dir;
  test::PackageCounter package;
  TrackerOptions o;
  o.output_dir = dir.path();
  o.interval = std::chrono::hours(1);
  o.zone = "FR";
  o.intensity = GramsPerKwh{100};
  o.pue = 1.5;
  o.on_error = [](std::error_code, const std::string&) {};
  o.discover = package.discover();
  EmissionsTracker tracker(o);
  package.add_joules(3.6e6);
  tracker.stop();
  RunResult run = read_run(dir.path() / "emissions.csv");
  CHECK(run.total.cpu.energy.value == Approx(1.0));  // IT energy; the row holds 1.5 kWh with PUE
  CHECK(run.total.energy.value == Approx(1.5));
  CHECK(run.info.measured_by.starts_with("greentrain "));
}

TEST_CASE("a row CodeCarbon wrote is reported as CodeCarbon's figures, never greentrain's",
          "[report][files]") {
  test::TempDir dir;
  std::ofstream(dir.path() / "emissions.csv")
      << "timestamp,project_name,run_id,experiment_id,duration,emissions,emissions_rate,cpu_power,"
         "gpu_power,ram_power,cpu_energy,gpu_energy,ram_energy,energy_consumed,country_name,"
         "country_iso_code,region,cloud_provider,cloud_region,os,python_version,"
         "codecarbon_version,cpu_count,cpu_model,gpu_count,gpu_model,longitude,latitude,"
         "ram_total_size,tracking_mode,on_cloud,pue\n"
         "2024-05-02T10:15:01,fashion-mnist,3f1c9a7e,5b0fa12a,3602.51,0.0024,6.7e-07,42.5,0.0,5.9,"
         "0.0638,0.0,0.0089,0.0727,France,FRA,île-de-france,,,Linux,3.11.2,2.3.4,8,"
         "\"Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz\",,,2.35,48.85,15.5,machine,N,1.5\n";
  RunResult run = read_run(dir.path() / "emissions.csv");
  CHECK(run.info.measured_by == "CodeCarbon 2.3.4");
  CHECK(run.total.cpu.provenance.basis == Basis::reported);
  CHECK(run.total.cpu.energy.value == Approx(0.0638 / 1.5));  // CodeCarbon's cpu_energy has PUE
  for (const auto& text : {markdown_report(run), html_report(run)}) {
    CHECK_THAT(text, Catch::Contains("Measured by CodeCarbon 2.3.4, not by greentrain"));
    CHECK_THAT(text, Catch::Contains("reported (CodeCarbon 2.3.4&#39;s figure") ||
                         Catch::Contains("reported (CodeCarbon 2.3.4's figure"));
    CHECK_THAT(text, !Catch::Contains("Measured with greentrain"));
    CHECK_THAT(text, !Catch::Contains("energy x intensity of each interval"));
    CHECK_THAT(text, !Catch::Contains("measured ("));
  }
}

TEST_CASE("a duration no run can have is refused with its line, not cast past the clock",
          "[report][files]") {
  test::TempDir dir;
  std::ofstream(dir.path() / "emissions.csv")
      << "timestamp,project_name,run_id,duration,emissions,energy_consumed\n"
         "2025-01-01T10:00:00,demo,a,7.2e116,0.5,0.1\n";
  CHECK_THROWS_WITH(read_run(dir.path() / "emissions.csv"),
                    Catch::Contains("emissions.csv line 2: duration '7.2e116' is not the length "
                                    "of a run"));
}

TEST_CASE("a CPU count that is not a whole number of CPUs is refused with its line",
          "[report][files]") {
  test::TempDir dir;
  std::ofstream(dir.path() / "emissions.csv")
      << "timestamp,project_name,run_id,duration,emissions,energy_consumed,cpu_count\n"
         "2025-01-01T10:00:00,demo,a,10,0.5,0.1,363604444444402.51\n";
  CHECK_THROWS_WITH(read_run(dir.path() / "emissions.csv"),
                    Catch::Contains("line 2: cpu_count '363604444444402.51' is not a count"));
}

TEST_CASE("a row an older greentrain wrote, with IT energy per component, reads the same",
          "[report][files]") {
  test::TempDir dir;
  std::ofstream(dir.path() / "emissions.csv")
      << "timestamp,project_name,run_id,duration,emissions,cpu_energy,gpu_energy,ram_energy,"
         "energy_consumed,codecarbon_version,pue\n"
         "2026-01-01T10:00:00,demo,a,10,0.15,0.8,0,0.2,1.5,greentrain-0.1.0,1.5\n";
  RunResult run = read_run(dir.path() / "emissions.csv");
  CHECK(run.total.cpu.energy.value == Approx(0.8));  // already IT energy: not divided again
  CHECK(run.total.ram.energy.value == Approx(0.2));
  CHECK(run.info.measured_by == "greentrain 0.1.0");
}
