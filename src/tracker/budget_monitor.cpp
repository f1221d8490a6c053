#include "tracker/budget_monitor.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "greentrain/error.hpp"

namespace greentrain {

std::string describe(const BudgetAlert& alert) {
  return fmt::format("{} budget {:.0f} % spent: {:.4g} g of {:.4g} g CO2e",
                     alert.scope == BudgetScope::run ? "run" : "project", alert.fraction * 100.0,
                     alert.used.value, alert.budget.value);
}

namespace detail {

namespace {

void check_budget(const std::optional<GramsCo2e>& budget, const char* what) {
  if (budget && !(budget->value > 0.0))
    throw error(errc::invalid_argument,
                fmt::format("the {} carbon budget must be positive, got {} g CO2e; leave it unset "
                            "for no budget",
                            what, budget->value));
}

}  // namespace

BudgetMonitor::BudgetMonitor(CarbonBudget budget, GramsCo2e earlier_project)
    : budget_(std::move(budget)), earlier_project_(earlier_project) {
  check_budget(budget_.run, "run");
  check_budget(budget_.project, "project");
  for (double f : budget_.alert_at)
    if (!(f > 0.0 && f <= 10.0))
      throw error(errc::invalid_argument,
                  fmt::format("budget alert fraction {} is outside (0, 10]: 0.5 alerts at half "
                              "the budget, 1.0 when it is spent",
                              f));
  std::sort(budget_.alert_at.begin(), budget_.alert_at.end());
  budget_.alert_at.erase(std::unique(budget_.alert_at.begin(), budget_.alert_at.end()),
                         budget_.alert_at.end());
}

void BudgetMonitor::observe(GramsCo2e run_emissions, std::vector<BudgetAlert>& alerts) {
  run_emissions_ = run_emissions;
  if (budget_.run) check(BudgetScope::run, run_emissions, *budget_.run, next_run_alert_, alerts);
  if (budget_.project)
    check(BudgetScope::project, earlier_project_ + run_emissions, *budget_.project,
          next_project_alert_, alerts);
}

void BudgetMonitor::check(BudgetScope scope, GramsCo2e used, GramsCo2e budget, std::size_t& next,
                          std::vector<BudgetAlert>& alerts) {
  double fraction = used / budget;
  for (; next < budget_.alert_at.size() && fraction >= budget_.alert_at[next]; ++next)
    alerts.push_back({scope, budget_.alert_at[next], used, budget});
  if (budget_.request_stop && fraction >= 1.0) stop_requested_ = true;
}

BudgetStatus BudgetMonitor::status() const {
  BudgetStatus s;
  if (budget_.run) s.run = BudgetUse{*budget_.run, run_emissions_};
  if (budget_.project) s.project = BudgetUse{*budget_.project, earlier_project_ + run_emissions_};
  s.stop_requested = stop_requested_;
  return s;
}

}  // namespace detail
}  // namespace greentrain
