#pragma once
// A carbon budget for a run or for a whole project: alerts as chosen fractions of it are spent,
// and, when asked, a stop request that a training loop honours between batches.
//
//   greentrain::TrackerOptions o{.project = "fashion-mnist"};
//   o.budget = greentrain::CarbonBudget{.run = greentrain::GramsCo2e{50}, .request_stop = true};
//   o.budget->on_alert = [](const greentrain::BudgetAlert& a) { log(greentrain::describe(a)); };
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "greentrain/units.hpp"

namespace greentrain {

enum class BudgetScope { run, project };

struct BudgetAlert {
  BudgetScope scope = BudgetScope::run;
  double fraction = 0.0;  // the threshold crossed: 0.5 is half the budget
  GramsCo2e used{};       // for a project: its earlier runs plus this one so far
  GramsCo2e budget{};
};

// "run budget 80 % spent: 40.1 g of 50 g CO2e"
std::string describe(const BudgetAlert& alert);

struct CarbonBudget {
  std::optional<GramsCo2e> run{};      // this run's emissions
  std::optional<GramsCo2e> project{};  // the project's: its earlier runs in emissions.csv too
  std::vector<double> alert_at{0.5, 0.8, 1.0};  // fractions of each budget, alerted once each
  // Called once per fraction crossed, in order, on the thread that took the sample and never
  // under the tracker's lock (it may call the tracker). Exceptions go to the error handler.
  std::function<void(const BudgetAlert&)> on_alert{};
  // Once a budget is fully spent, EmissionsTracker::stop_requested() turns true; the tracker
  // itself keeps measuring until it is stopped.
  bool request_stop = false;
};

struct BudgetUse {
  GramsCo2e budget{};
  GramsCo2e used{};
  double fraction() const { return budget.value > 0 ? used / budget : 0.0; }
};

struct BudgetStatus {
  std::optional<BudgetUse> run, project;
  bool stop_requested = false;
};

// What a project's earlier runs emitted, read back from an emissions.csv (the tracker's or
// CodeCarbon's) and its backups (the files it replaced when the columns changed): the last row of
// each run of `project`, except `exclude_run`. Zero when no such file exists; throws
// greentrain::error naming the file and line of a row it cannot read, a torn one included.
GramsCo2e project_emissions(const std::filesystem::path& emissions_csv, std::string_view project,
                            std::string_view exclude_run = {});

}  // namespace greentrain
