#include "greentrain/budget.hpp"

#include <catch2/catch.hpp>
#include <fstream>

#include "greentrain/error.hpp"
#include "greentrain/outputs/csv.hpp"
#include "support/fake_machine.hpp"
#include "tracker/budget_monitor.hpp"

using namespace greentrain;
using test::FakeMachine;
using test::Faults;
using test::options_for;

namespace {

constexpr double kwh = 3.6e6;  // joules; at the test machine's 100 g/kWh, 1 kWh emits 100 g

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}
}  // namespace

TEST_CASE("each alert fraction is crossed once, in order, even when one sample passes several",
          "[budget]") {
  detail::BudgetMonitor monitor({.run = GramsCo2e{100}, .alert_at = {1.0, 0.5, 0.8}}, {});
  std::vector<BudgetAlert> alerts;
  monitor.observe(GramsCo2e{40}, alerts);
  CHECK(alerts.empty());
  monitor.observe(GramsCo2e{85}, alerts);
  REQUIRE(alerts.size() == 2);
  CHECK(alerts[0].fraction == 0.5);
  CHECK(alerts[1].fraction == 0.8);
  CHECK(alerts[1].used.value == 85);
  monitor.observe(GramsCo2e{90}, alerts);
  CHECK(alerts.size() == 2);
  monitor.observe(GramsCo2e{120}, alerts);
  REQUIRE(alerts.size() == 3);
  CHECK(alerts[2].fraction == 1.0);
  CHECK(describe(alerts[2]) == "run budget 100 % spent: 120 g of 100 g CO2e");
  CHECK_FALSE(monitor.stop_requested());  // only asked for with request_stop
}

TEST_CASE("a project budget counts the earlier runs and requests a stop when spent", "[budget]") {
  detail::BudgetMonitor monitor(
      {.project = GramsCo2e{1000}, .alert_at = {0.9, 1.0}, .request_stop = true}, GramsCo2e{850});
  std::vector<BudgetAlert> alerts;
  monitor.observe(GramsCo2e{60}, alerts);
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].scope == BudgetScope::project);
  CHECK(alerts[0].used.value == 910);
  CHECK_FALSE(monitor.stop_requested());
  monitor.observe(GramsCo2e{150}, alerts);
  CHECK(monitor.stop_requested());
  BudgetStatus status = monitor.status();
  CHECK_FALSE(status.run);
  REQUIRE(status.project);
  CHECK(status.project->fraction() == Approx(1.0));
}

TEST_CASE("a budget that is not positive or an alert fraction out of range is refused", "[budget]") {
  CHECK_THROWS_WITH(detail::BudgetMonitor({.run = GramsCo2e{-5}}, {}),
                    Catch::Contains("run carbon budget must be positive, got -5"));
  CHECK_THROWS_WITH(detail::BudgetMonitor({.run = GramsCo2e{5}, .alert_at = {0.0}}, {}),
                    Catch::Contains("alert fraction 0 is outside (0, 10]"));
}

TEST_CASE("a project's earlier emissions are the last row of each of its runs", "[budget][csv]") {
  test::TempDir dir;
  CHECK(project_emissions(dir / "emissions.csv", "p").value == 0.0);  // no file yet
  write_file(dir / "emissions.csv",
             "timestamp,project_name,run_id,emissions\n"
             "t1,p,run-a,0.001\n"
             "t2,p,run-a,0.004\n"  // a later flush of run-a: its total so far
             "t3,other,run-b,1.0\n"
             "t4,p,run-c,0.002\n"
             "t5,p,run-now,0.5\n");
  CHECK(project_emissions(dir / "emissions.csv", "p", "run-now").value == Approx(6.0));
  CHECK(project_emissions(dir / "emissions.csv", "p").value == Approx(506.0));
}

TEST_CASE("an emissions.csv row that cannot be read is named with its line", "[budget][csv]") {
  test::TempDir dir;
  write_file(dir / "emissions.csv",
             "project_name,run_id,emissions\np,a,0.1\np,b,lots\n");
  CHECK_THROWS_WITH(project_emissions(dir / "emissions.csv", "p"),
                    Catch::Contains("line 3: emissions 'lots' is not a number"));
  write_file(dir / "emissions.csv", "project_name,run_id,emissions\np,a\n");
  CHECK_THROWS_WITH(project_emissions(dir / "emissions.csv", "p"),
                    Catch::Contains("line 2: 2 fields where the header has 3"));
  write_file(dir / "emissions.csv", "project_name,emissions\np,0.1\n");
  CHECK_THROWS_WITH(project_emissions(dir / "emissions.csv", "p"),
                    Catch::Contains("has no 'run_id' column"));
}

TEST_CASE("the tracker alerts as its run spends the budget and may call itself from the alert",
          "[budget][tracker]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  auto options = options_for(machine, dir, faults);
  std::vector<BudgetAlert> alerts;
  EmissionsTracker* self = nullptr;
  std::vector<double> seen_in_alert;
  options.budget = CarbonBudget{.run = GramsCo2e{100}, .request_stop = true};
  options.budget->on_alert = [&](const BudgetAlert& a) {
    alerts.push_back(a);
    seen_in_alert.push_back(self->latest().total.emissions.value);  // no deadlock
  };
  EmissionsTracker tracker(options);
  self = &tracker;
  machine.add_joules(0.6 * kwh);
  tracker.flush();
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].fraction == 0.5);
  CHECK(alerts[0].used.value == Approx(60.0));
  CHECK_FALSE(tracker.stop_requested());
  machine.add_joules(0.5 * kwh);
  { auto task = tracker.task("last"); }
  REQUIRE(alerts.size() == 3);
  CHECK(alerts[2].fraction == 1.0);
  CHECK(seen_in_alert[2] == Approx(110.0));
  CHECK(tracker.stop_requested());
  REQUIRE(tracker.budget_status().run);
  CHECK(tracker.budget_status().run->fraction() == Approx(1.1));
  tracker.stop();
  CHECK(faults.messages.empty());
}

TEST_CASE("a project budget reads the project's earlier runs back from emissions.csv",
          "[budget][tracker]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  {
    EmissionsTracker earlier(options_for(machine, dir, faults));
    machine.add_joules(1.0 * kwh);  // 100 g
  }
  auto options = options_for(machine, dir, faults);
  options.budget = CarbonBudget{.project = GramsCo2e{150}, .request_stop = true};
  EmissionsTracker tracker(options);
  machine.add_joules(0.3 * kwh);  // 30 g: 130 of 150
  tracker.flush();
  CHECK_FALSE(tracker.stop_requested());
  REQUIRE(tracker.budget_status().project);
  CHECK(tracker.budget_status().project->used.value == Approx(130.0));
  machine.add_joules(0.3 * kwh);  // 160 of 150; the flush above is not counted as an earlier run
  tracker.flush();
  CHECK(tracker.stop_requested());
  CHECK(tracker.budget_status().project->used.value == Approx(160.0));
}

TEST_CASE("an alert handler that throws is reported and the run goes on", "[budget][tracker]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  auto options = options_for(machine, dir, faults);
  options.budget = CarbonBudget{.run = GramsCo2e{10}, .alert_at = {1.0}};
  options.budget->on_alert = [](const BudgetAlert&) { throw std::runtime_error("pager down"); };
  EmissionsTracker tracker(options);
  machine.add_joules(1.0 * kwh);
  const RunResult& run = tracker.stop();
  CHECK(run.total.emissions.value == Approx(100.0));
  REQUIRE(faults.messages.size() == 1);
  CHECK_THAT(faults.messages[0], Catch::Contains("pager down"));
  CHECK_THAT(faults.messages[0], Catch::Contains("run budget 100 % spent"));
}

TEST_CASE("a project budget still counts the runs of a file moved to a backup",
          "[budget][tracker]") {
  test::TempDir dir;
  // CodeCarbon 2.x's columns: the first greentrain run moves the file aside.
  write_file(dir / "emissions.csv",
             "timestamp,project_name,run_id,duration,emissions,energy_consumed\n"
             "2024-05-01T10:00:00,tracker-test,cc-run,3600,0.9,9.0\n");
  FakeMachine machine;
  Faults faults;
  for (double expected_earlier_g : {900.0, 910.0}) {
    auto options = options_for(machine, dir, faults);
    options.budget = CarbonBudget{.project = GramsCo2e{2000}};
    EmissionsTracker tracker(options);
    machine.add_joules(0.1 * kwh);  // 10 g
    tracker.flush();
    REQUIRE(tracker.budget_status().project);
    CHECK(tracker.budget_status().project->used.value == Approx(expected_earlier_g + 10.0));
  }
  CHECK(csv_backups(dir / "emissions.csv").size() == 1);
  REQUIRE(faults.messages.size() == 1);  // the backup, said once
  CHECK_THAT(faults.messages[0], Catch::Contains("emissions.csv had other columns") &&
                                     Catch::Contains("it is kept as emissions.csv.2"));
}

TEST_CASE("a project budget refuses a torn row with its file and line", "[budget][csv]") {
  test::TempDir dir;
  write_file(dir / "emissions.csv",
             "project_name,run_id,emissions,energy_consumed\np,a,0.1,1\np,b,0.");
  CHECK_THROWS_WITH(project_emissions(dir / "emissions.csv", "p"),
                    Catch::Contains("emissions.csv line 3: 3 fields where the header has 4") &&
                        Catch::Contains("cut short"));
}
