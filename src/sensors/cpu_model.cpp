#include "greentrain/sensors/cpu_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>

#include "greentrain/error.hpp"
#include "sensors/proc_stat.hpp"

namespace greentrain::sensors {

namespace {

class CpuModelSensor final : public Sensor {
 public:
  CpuModelSensor(CpuTdp tdp, std::filesystem::path proc, std::shared_ptr<MachineCpuTime> machine_time,
                 std::string why_modelled, std::shared_ptr<Clock> clock)
      : tdp_(std::move(tdp)), proc_(std::move(proc)), machine_time_(std::move(machine_time)),
        why_modelled_(std::move(why_modelled)), clock_(clock ? std::move(clock) : system_clock()) {}

  std::string_view name() const noexcept override { return "model:cpu-tdp"; }
  Domain domain() const noexcept override { return Domain::cpu_package; }
  SignalKind kind() const noexcept override { return SignalKind::average_power; }

  Availability probe() override {
    if (!machine_time_) {
      try {
        machine_time_ = std::make_shared<MachineCpuTime>(proc_, std::chrono::nanoseconds{0}, clock_);
      } catch (const error& e) {
        return {false, e.what(), "mount /proc"};
      }
    }
    std::error_code ec;
    last_ = machine_time_->read(ec);
    if (ec) return {false, fmt::format("cannot read {}: {}", machine_time_->path().string(), ec.message()),
                    "mount /proc"};
    // Until time passes, the best estimate of load is the average since boot.
    load_ = detail::tick_share(last_.busy, last_.total);
    if (load_ticks_ == 0.0) mean_load_.store(load_, std::memory_order_relaxed);
    probed_ = true;
    return {true, fmt::format("{} x load from {}", tdp_.describe(), machine_time_->path().string()), ""};
  }

  Reading read(std::error_code& ec) noexcept override {
    ec.clear();
    auto now = clock_->steady_now();
    if (!probed_) {
      ec = make_error_code(errc::sensor_unavailable);
      degraded_.store(true, std::memory_order_relaxed);
      return {watts(), now};
    }
    CpuTicks ticks = machine_time_->read(ec);
    if (ec) {
      degraded_.store(true, std::memory_order_relaxed);
      return {watts(), now};
    }
    std::uint64_t total = ticks.total - std::min(ticks.total, last_.total);
    std::uint64_t busy = ticks.busy - std::min(ticks.busy, last_.busy);
    if (total > 0) {
      load_ = detail::tick_share(busy, total);
      load_ticks_ += static_cast<double>(total);
      load_sum_ += load_ * static_cast<double>(total);
      mean_load_.store(load_sum_ / load_ticks_, std::memory_order_relaxed);
    }
    last_ = ticks;
    return {watts(), now};
  }

  Provenance provenance() const override {
    double load = mean_load_.load(std::memory_order_relaxed);
    Band band = cpu_model_band(tdp_);
    Provenance p;
    p.basis = Basis::modelled;
    p.source =
        fmt::format("tdp-curve (fitted to measured CPUs) {} x load of each interval, mean {:.2f}",
                    tdp_.describe(), load);
    if (!why_modelled_.empty()) p.source += fmt::format(" [{}]", why_modelled_);
    p.band_low = band.low;
    p.band_high = band.high;
    p.band_coverage = band.coverage;
    p.degraded = degraded_.load(std::memory_order_relaxed);
    return p;
  }

  std::string hardware() const override { return tdp_.cpu_model; }

 private:
  double watts() const noexcept { return modelled_cpu_watts(tdp_, load_); }

  // Time-weighted over the readings; the since-boot load before the first interval.

  CpuTdp tdp_;
  std::filesystem::path proc_;
  std::shared_ptr<MachineCpuTime> machine_time_;
  std::string why_modelled_;
  std::shared_ptr<Clock> clock_;
  CpuTicks last_;
  bool probed_ = false;
  double load_ = 0.0;
  double load_sum_ = 0.0;
  double load_ticks_ = 0.0;
  // Time-weighted over the readings; the since-boot load before the first interval.
  std::atomic<double> mean_load_{0.0};
  std::atomic<bool> degraded_{false};  // set by the sampler, read by reports
};

}  // namespace

double CpuCurve::fraction(double load) const noexcept {
  load = std::clamp(load, 0.0, 1.0);
  return idle + (full - idle) * std::min(1.0, load / saturation);
}

double modelled_cpu_watts(const CpuTdp& tdp, double load) noexcept {
  return tdp.tdp_w * CpuCurve{}.fraction(load);
}

double codecarbon_power_fraction(double load) noexcept {
  load = std::clamp(load, 0.0, 1.0);
  return 0.1 + 0.9 * load * load * load;
}

Band cpu_model_band() noexcept { return {.low = 0.55, .high = 1.78, .coverage = 36.0 / 44.0}; }

Band cpu_model_band(const CpuTdp& tdp) noexcept {
  if (tdp.matched) return cpu_model_band();
  return {.low = 1.04, .high = 1.90, .coverage = 36.0 / 44.0};
}

std::unique_ptr<Sensor> make_cpu_model_sensor(CpuTdp tdp, std::filesystem::path proc,
                                              std::string why_modelled, std::shared_ptr<Clock> clock) {
  return std::make_unique<CpuModelSensor>(std::move(tdp), std::move(proc), nullptr, std::move(why_modelled),
                                          std::move(clock));
}

std::unique_ptr<Sensor> make_cpu_model_sensor(CpuTdp tdp, std::shared_ptr<MachineCpuTime> machine_time,
                                              std::string why_modelled) {
  auto proc = machine_time->path().parent_path();
  auto clock = machine_time->clock();
  return std::make_unique<CpuModelSensor>(std::move(tdp), std::move(proc), std::move(machine_time),
                                          std::move(why_modelled), std::move(clock));
}

}  // namespace greentrain::sensors
