#include <fmt/format.h>

#include <algorithm>

#include "greentrain/error.hpp"
#include "greentrain/sensors/cpu_time.hpp"
#include "tracker/run_figures.hpp"

namespace greentrain::detail {

namespace {

class ProcUsageMeter final : public UsageMeter {
 public:
  ProcUsageMeter(TrackingMode mode, std::optional<int> pid,
                 std::shared_ptr<sensors::MachineCpuTime> machine_time, Reporter report,
                 std::shared_ptr<Clock> clock)
      : mode_(mode),
        pid_(pid),
        machine_time_(machine_time ? std::move(machine_time)
                                   : std::make_shared<sensors::MachineCpuTime>(
                                         "/proc", std::chrono::nanoseconds{0}, std::move(clock))),
        clock_(machine_time_->clock()),
        gauge_(machine_time_->path().parent_path()),
        report_(std::move(report)) {
    // The processes and memory of the /proc the machine's CPU time is read from.
    auto proc = machine_time_->path().parent_path();
    if (tracks_process())
      share_.emplace(pid ? sensors::ProcessCpuShare::tree(*pid, proc, machine_time_)
                         : sensors::ProcessCpuShare::self(proc, machine_time_));
    std::error_code ec;
    last_ticks_ = machine_time_->read(ec);
  }

  IntervalUsage interval(EnergyByComponent& energy) noexcept override {
    IntervalUsage u;
    std::error_code ec;
    sensors::CpuTicks now = machine_time_->read(ec);
    if (!ec && now.total > last_ticks_.total) {
      u.cpu_percent = 100.0 * static_cast<double>(now.busy - last_ticks_.busy) /
                      static_cast<double>(now.total - last_ticks_.total);
      last_ticks_ = now;
    }
    if (auto memory = memory_in_use()) {
      u.ram_used_gb = memory->used_gb;
      u.ram_total_gb = memory->total_gb;
    }
    if (share_) u.process_cpu_share = attribute(energy, u.ram_used_gb);
    return u;
  }

  std::string attribution(sensors::Component component) const override {
    if (mode_ != TrackingMode::process) return {};
    std::string who = pid_ ? fmt::format("process tree {}", *pid_) : std::string("this process");
    if (component == sensors::Component::ram && ram_by_memory_.value > 0)
      return fmt::format(
          "x resident-memory share of {} (mean {:.2f}{})", who,
          process_ram_ / (ram_by_memory_ + ram_by_cpu_),
          ram_by_cpu_.value > 0 ? "; CPU-time share where memory was unreadable" : "");
    return fmt::format("x CPU-time share of {} (mean {:.2f})", who, mean_share());
  }

 private:
  bool tracks_process() const { return mode_ == TrackingMode::process || pid_.has_value(); }

  // Memory in use, read at most once a second: the kernel computes the whole of meminfo for each
  // read, the costliest part of a sample, and memory moves slowly next to a sampling interval.
  std::optional<sensors::MemoryUsage> memory_in_use() noexcept {
    auto now = clock_->steady_now();
    if (!memory_ || now - memory_read_at_ >= std::chrono::seconds(1)) {
      std::error_code ec;
      auto memory = gauge_.read(ec);
      memory_read_at_ = now;
      memory_ = ec || !(memory.total_gb > 0) ? std::nullopt : std::optional(memory);
    }
    return memory_;
  }

  // RAM follows the process tree's resident memory over the machine's memory in use, where both
  // were read: a process holding little memory while busy draws little of the RAM's power.
  double attribute(EnergyByComponent& energy, std::optional<double> machine_used_gb) noexcept {
    std::error_code ec;
    sensors::CpuShare share = share_->sample(ec);
    if (ec) {
      if (!fault_reported_ && report_)
        report_(ec,
                "reading CPU times from /proc failed; process attribution misses the "
                "intervals since");
      fault_reported_ = true;
      return 0.0;
    }
    Joules cpu = energy[sensors::Component::cpu];
    process_cpu_ += cpu * share.process;
    machine_cpu_ += cpu;
    if (mode_ == TrackingMode::process) {
      energy[sensors::Component::cpu] = cpu * share.process;
      Joules ram = energy[sensors::Component::ram];
      double ram_share = share.process;
      if (share.resident_gb && machine_used_gb && *machine_used_gb > 0) {
        ram_share = std::clamp(*share.resident_gb / *machine_used_gb, 0.0, 1.0);
        ram_by_memory_ += ram;
      } else {
        ram_by_cpu_ += ram;
      }
      process_ram_ += ram * ram_share;
      energy[sensors::Component::ram] = ram * ram_share;
    }
    return share.process;
  }
  double mean_share() const {
    return machine_cpu_.value > 0 ? process_cpu_ / machine_cpu_ : 0.0;
  }

  TrackingMode mode_;
  std::optional<int> pid_;
  std::shared_ptr<sensors::MachineCpuTime> machine_time_;
  std::optional<sensors::ProcessCpuShare> share_;
  sensors::CpuTicks last_ticks_;
  std::shared_ptr<Clock> clock_;
  sensors::MemoryGauge gauge_;
  std::optional<sensors::MemoryUsage> memory_;  // the last reading, taken at memory_read_at_
  SteadyTime memory_read_at_{};
  Reporter report_;
  Joules process_cpu_{};
  Joules machine_cpu_{};
  Joules process_ram_{};                   // process mode: RAM energy attributed
  Joules ram_by_memory_{}, ram_by_cpu_{};  // all the RAM energy, by the share that attributed it
  bool fault_reported_ = false;
};

}  // namespace

std::unique_ptr<UsageMeter> UsageMeter::create(
    TrackingMode mode, std::optional<int> pid,
    std::shared_ptr<sensors::MachineCpuTime> machine_time, Reporter report,
    std::shared_ptr<Clock> clock) {
  return std::make_unique<ProcUsageMeter>(mode, pid, std::move(machine_time), std::move(report),
                                          std::move(clock));
}

}  // namespace greentrain::detail
