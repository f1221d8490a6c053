#include "greentrain/sensors/cpu_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "greentrain/error.hpp"
#include "sensors/kept_file.hpp"
#include "sensors/proc_stat.hpp"

namespace greentrain::sensors {

namespace {

struct CurvePoint {
  double load;
  double fraction;
};
constexpr std::array<CurvePoint, 4> teads_curve{{{0.0, 0.12}, {0.1, 0.32}, {0.5, 0.75}, {1.0, 1.02}}};

class CpuModelSensor final : public Sensor {
 public:
  CpuModelSensor(CpuTdp tdp, std::filesystem::path proc, std::string why_modelled)
      : tdp_(std::move(tdp)), proc_(std::move(proc)), why_modelled_(std::move(why_modelled)) {}

  std::string_view name() const noexcept override { return "model:cpu-tdp"; }
  Domain domain() const noexcept override { return Domain::cpu_package; }
  SignalKind kind() const noexcept override { return SignalKind::power; }

  Availability probe() override {
    std::error_code ec;
    auto path = proc_ / "stat";
    stat_ = detail::KeptFile::open(path, ec);
    if (ec) return {false, fmt::format("cannot open {}: {}", path.string(), ec.message()), "mount /proc"};
    auto ticks = read_ticks(ec);
    if (!ticks) return {false, fmt::format("{} has no 'cpu' line", path.string()), "mount /proc"};
    last_ = *ticks;
    // Until time passes, the best estimate of load is the average since boot.
    load_ = detail::tick_share(ticks->busy, ticks->total);
    return {true, fmt::format("{} x load from {}", tdp_.describe(), path.string()), ""};
  }

  Reading read(std::error_code& ec) noexcept override {
    ec.clear();
    auto now = std::chrono::steady_clock::now();
    if (!stat_.is_open()) {
      ec = make_error_code(errc::sensor_unavailable);
      degraded_ = true;
      return {watts(), now};
    }
    if (auto ticks = read_ticks(ec)) {
      std::uint64_t total = ticks->total - std::min(ticks->total, last_.total);
      std::uint64_t busy = ticks->busy - std::min(ticks->busy, last_.busy);
      if (total > 0) {
        load_ = detail::tick_share(busy, total);
        load_ticks_ += static_cast<double>(total);
        load_sum_ += load_ * static_cast<double>(total);
      }
      last_ = *ticks;
    } else {
      degraded_ = true;
    }
    return {watts(), now};
  }

  Provenance provenance() const override {
    double load = mean_load();
    Band band = cpu_model_band(load);
    Provenance p;
    p.basis = Basis::modelled;
    p.source = fmt::format("tdp-curve (Teads) {} x mean load {:.2f}", tdp_.describe(), load);
    if (!why_modelled_.empty()) p.source += fmt::format(" [{}]", why_modelled_);
    p.band_low = band.low;
    p.band_high = band.high;
    p.degraded = degraded_;
    return p;
  }

  std::string hardware() const override { return tdp_.cpu_model; }

 private:
  std::optional<detail::MachineTicks> read_ticks(std::error_code& ec) const noexcept {
    // The first line is all we need; the rest of /proc/stat can be tens of kilobytes.
    char buffer[256];
    std::string_view head = stat_.read_head(buffer, ec);
    if (ec) return std::nullopt;
    return detail::parse_machine_ticks(head);
  }

  double watts() const noexcept { return tdp_.tdp_w * teads_power_fraction(load_); }

  // Time-weighted over the readings; the since-boot load before the first interval.
  double mean_load() const noexcept { return load_ticks_ > 0 ? load_sum_ / load_ticks_ : load_; }

  CpuTdp tdp_;
  std::filesystem::path proc_;
  std::string why_modelled_;
  detail::KeptFile stat_;
  detail::MachineTicks last_;
  double load_ = 0.0;
  double load_sum_ = 0.0;
  double load_ticks_ = 0.0;
  bool degraded_ = false;
};

}  // namespace

double teads_power_fraction(double load) noexcept {
  load = std::clamp(load, 0.0, 1.0);
  for (std::size_t i = 1; i < teads_curve.size(); ++i) {
    const auto& lo = teads_curve[i - 1];
    const auto& hi = teads_curve[i];
    if (load <= hi.load)
      return lo.fraction + (hi.fraction - lo.fraction) * (load - lo.load) / (hi.load - lo.load);
  }
  return teads_curve.back().fraction;
}

double codecarbon_power_fraction(double load) noexcept {
  load = std::clamp(load, 0.0, 1.0);
  return 0.1 + 0.9 * load * load * load;
}

Band cpu_model_band(double load) noexcept {
  double ratio = codecarbon_power_fraction(load) / teads_power_fraction(load);
  return {std::min(1.0, ratio), std::max(1.0, ratio)};
}

std::unique_ptr<Sensor> make_cpu_model_sensor(CpuTdp tdp, std::filesystem::path proc,
                                              std::string why_modelled) {
  return std::make_unique<CpuModelSensor>(std::move(tdp), std::move(proc), std::move(why_modelled));
}

}  // namespace greentrain::sensors
