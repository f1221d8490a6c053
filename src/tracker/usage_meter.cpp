#include <fmt/format.h>

#include "greentrain/error.hpp"
#include "greentrain/sensors/cpu_time.hpp"
#include "tracker/run_figures.hpp"

namespace greentrain::detail {

namespace {

class ProcUsageMeter final : public UsageMeter {
 public:
  ProcUsageMeter(TrackingMode mode, std::optional<int> pid, Reporter report)
      : mode_(mode),
        pid_(pid),
        share_(pid ? sensors::ProcessCpuShare::tree(*pid) : sensors::ProcessCpuShare::self()),
        memory_(),
        report_(std::move(report)) {}

  double attribute(EnergyByComponent& energy) noexcept override {
    std::error_code ec;
    sensors::CpuShare share = share_.sample(ec);
    if (ec) {
      if (!fault_reported_ && report_)
        report_(ec, "reading CPU times from /proc failed; utilisation and process attribution "
                    "miss the intervals since");
      fault_reported_ = true;
      return tracks_process() ? 0.0 : -1.0;
    }
    utilization_sum_ += share.machine;
    ++samples_;
    if (!tracks_process()) return -1.0;
    Joules cpu = energy[sensors::Component::cpu];
    process_cpu_ += cpu * share.process;
    machine_cpu_ += cpu;
    if (mode_ == TrackingMode::process) {
      energy[sensors::Component::cpu] = cpu * share.process;
      energy[sensors::Component::ram] = energy[sensors::Component::ram] * share.process;
    }
    return share.process;
  }

  Usage usage() override {
    Usage u;
    if (samples_ > 0) u.cpu_utilization_percent = 100.0 * utilization_sum_ / static_cast<double>(samples_);
    std::error_code ec;
    sensors::MemoryUsage memory = memory_.read(ec);
    if (!ec && memory.total_gb > 0) {
      u.ram_used_gb = memory.used_gb;
      u.ram_utilization_percent = 100.0 * memory.used_gb / memory.total_gb;
    }
    return u;
  }

  std::string attribution() const override {
    if (mode_ != TrackingMode::process) return {};
    return fmt::format("x CPU-time share of {} (mean {:.2f})",
                       pid_ ? fmt::format("process tree {}", *pid_) : std::string("this process"),
                       mean_share());
  }

 private:
  bool tracks_process() const { return mode_ == TrackingMode::process || pid_.has_value(); }
  double mean_share() const {
    return machine_cpu_.value > 0 ? process_cpu_ / machine_cpu_ : 0.0;
  }

  TrackingMode mode_;
  std::optional<int> pid_;
  sensors::ProcessCpuShare share_;
  sensors::MemoryGauge memory_;
  Reporter report_;
  double utilization_sum_ = 0.0;
  long samples_ = 0;
  Joules process_cpu_{};
  Joules machine_cpu_{};
  bool fault_reported_ = false;
};

}  // namespace

std::unique_ptr<UsageMeter> UsageMeter::create(TrackingMode mode, std::optional<int> pid,
                                               Reporter report) {
  return std::make_unique<ProcUsageMeter>(mode, pid, std::move(report));
}

}  // namespace greentrain::detail
