#include "greentrain/sensors/ram_model.hpp"

#include <fmt/format.h>

#include "sensors/kept_file.hpp"
#include "sensors/proc_stat.hpp"

namespace greentrain::sensors {

namespace {

class RamModelSensor final : public Sensor {
 public:
  RamModelSensor(double installed_gib, std::string why_modelled, std::shared_ptr<Clock> clock)
      : installed_gib_(installed_gib), why_modelled_(std::move(why_modelled)),
        clock_(clock ? std::move(clock) : system_clock()) {}

  std::string_view name() const noexcept override { return "model:ram"; }
  Domain domain() const noexcept override { return Domain::ram; }
  SignalKind kind() const noexcept override { return SignalKind::power; }

  Availability probe() override {
    if (!(installed_gib_ > 0.0))
      return {false, "installed memory is unknown (no MemTotal in meminfo)", "mount /proc"};
    return {true, fmt::format("{} W/GB x {:.1f} GiB installed", ram_watts_per_gb, installed_gib_), ""};
  }

  Reading read(std::error_code& ec) noexcept override {
    ec.clear();
    return {modelled_ram_watts(installed_gib_), clock_->steady_now()};
  }

  Provenance provenance() const override {
    Provenance p;
    p.basis = Basis::modelled;
    p.source = fmt::format("ram-model (Green Algorithms) {} W/GB x {:.1f} GiB installed", ram_watts_per_gb,
                           installed_gib_);
    if (!why_modelled_.empty()) p.source += fmt::format(" [{}]", why_modelled_);
    p.band_low = ram_band_low;
    p.band_high = ram_band_high;
    return p;
  }

  std::string hardware() const override { return fmt::format("{:.1f} GiB RAM", installed_gib_); }

 private:
  double installed_gib_;
  std::string why_modelled_;
  std::shared_ptr<Clock> clock_;
};

}  // namespace

std::optional<double> installed_ram_gib(const std::filesystem::path& proc) {
  std::error_code ec;
  std::string text = detail::read_text(proc / "meminfo", ec);
  if (ec) return std::nullopt;
  auto kb = detail::parse_meminfo(text);
  if (!kb) return std::nullopt;
  return static_cast<double>(kb->total) / (1024.0 * 1024.0);
}

std::unique_ptr<Sensor> make_ram_model_sensor(double installed_gib, std::string why_modelled,
                                              std::shared_ptr<Clock> clock) {
  return std::make_unique<RamModelSensor>(installed_gib, std::move(why_modelled), std::move(clock));
}

}  // namespace greentrain::sensors
