#pragma once
// Watches a run's emissions against its carbon budgets: which alert fractions have been crossed,
// and whether a stop has been requested. Not thread-safe: the tracker calls it under its lock.
#include <vector>

#include "greentrain/budget.hpp"

namespace greentrain::detail {

class BudgetMonitor {
 public:
  // `earlier_project`: what the project's earlier runs emitted. Throws greentrain::error for a
  // budget that is not positive or an alert fraction outside (0, 10].
  BudgetMonitor(CarbonBudget budget, GramsCo2e earlier_project);

  // The run has emitted `run_emissions` so far: appends the alerts newly crossed, in order.
  void observe(GramsCo2e run_emissions, std::vector<BudgetAlert>& alerts);

  BudgetStatus status() const;
  bool stop_requested() const { return stop_requested_; }

 private:
  void check(BudgetScope scope, GramsCo2e used, GramsCo2e budget, std::size_t& next,
             std::vector<BudgetAlert>& alerts);

  CarbonBudget budget_;
  GramsCo2e earlier_project_;
  GramsCo2e run_emissions_{};
  std::size_t next_run_alert_ = 0, next_project_alert_ = 0;
  bool stop_requested_ = false;
};

}  // namespace greentrain::detail
