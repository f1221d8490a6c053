#pragma once
// Turns the ledger's running totals into the figures of a run or a task, with provenance.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "greentrain/emissions.hpp"
#include "greentrain/sensors/cpu_time.hpp"
#include "tracker/carbon_ledger.hpp"
#include "tracker/energy_meter.hpp"

namespace greentrain::detail {

// The figures between two snapshots of the ledger.
// `attribution` says how a component was attributed to the tracked process (process mode).
using Attribution = std::function<std::string(sensors::Component)>;
Emissions figures_between(const LedgerTotals& from, const LedgerTotals& to, SystemTime started,
                          SystemTime ended, const EnergyMeter& meter, const CarbonLedger& ledger,
                          std::string task, const Attribution& attribution = {});

// Machine usage for CodeCarbon's utilisation columns, interval by interval, and in process mode
// the share of the CPU (and RAM) energy that belongs to the tracked process tree.
class UsageMeter {
 public:
  using Reporter = std::function<void(std::error_code, const std::string&)>;
  virtual ~UsageMeter() = default;

  // `machine_time` is the sensors' /proc/stat reader, shared so a sample reads it once; without
  // one, the meter reads /proc/stat through its own, on `clock`.
  static std::unique_ptr<UsageMeter> create(TrackingMode mode, std::optional<int> pid,
                                            std::shared_ptr<sensors::MachineCpuTime> machine_time,
                                            Reporter report,
                                            std::shared_ptr<Clock> clock = system_clock());

  // Called with each interval's machine energy; scales it to the process in process mode.
  // Returns the interval's CPU utilisation, memory in use and the tracked process tree's share
  // of busy CPU time (GPU utilisation comes from the GPU sensors).
  virtual IntervalUsage interval(EnergyByComponent& energy) noexcept = 0;
  // How a component's figures were attributed, for its provenance: "x CPU-time share of process
  // tree 42 (mean 0.43)", "x resident-memory share of this process (mean 0.05)"; empty in
  // machine mode.
  virtual std::string attribution(sensors::Component component) const = 0;
};

}  // namespace greentrain::detail
