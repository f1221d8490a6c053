#include "greentrain/sensors/powercap.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>
#include <tuple>

#include "greentrain/error.hpp"
#include "sensors/kept_file.hpp"

namespace greentrain::sensors {
namespace fs = std::filesystem;

namespace {

std::optional<Domain> domain_of_label(std::string_view label) {
  if (label.starts_with("package")) return Domain::cpu_package;
  if (label == "core") return Domain::cpu_core;
  if (label == "uncore") return Domain::cpu_uncore;
  if (label == "dram") return Domain::dram;
  if (label == "psys") return Domain::psys;
  return std::nullopt;
}

int number_after(std::string_view text, std::string_view key) {
  auto at = text.find(key);
  if (at == std::string_view::npos) return -1;
  int value = -1;
  const char* first = text.data() + at + key.size();
  std::from_chars(first, text.data() + text.size(), value);
  return value;
}

std::optional<PowercapZone> read_zone(const fs::path& dir) {
  std::error_code ec;
  std::string id = dir.filename().string();
  auto colon = id.find(':');
  if (colon == std::string::npos || !fs::exists(dir / "energy_uj", ec)) return std::nullopt;
  std::string label{detail::trim(detail::read_text(dir / "name", ec))};
  if (ec) return std::nullopt;
  auto domain = domain_of_label(label);
  if (!domain) return std::nullopt;
  PowercapZone zone;
  zone.id = id;
  zone.control_type = id.substr(0, colon);
  zone.label = label;
  zone.dir = dir;
  zone.domain = *domain;
  zone.package = number_after(label, "package-");
  zone.die = number_after(label, "-die-");
  auto last_colon = id.rfind(':');
  if (last_colon != colon) zone.parent_id = id.substr(0, last_colon);
  return zone;
}

void collect_nested(const fs::path& dir, std::vector<fs::path>& found) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_directory(ec) || entry.is_symlink(ec)) continue;
    if (entry.path().filename().string().find(':') != std::string::npos) found.push_back(entry.path());
    collect_nested(entry.path(), found);
  }
}

std::vector<fs::path> zone_dirs(const fs::path& sys) {
  std::vector<fs::path> found;
  std::error_code ec;
  fs::path by_class = sys / "class" / "powercap";
  if (fs::is_directory(by_class, ec)) {
    // Every zone, nested ones included, has its own (symlinked) entry here.
    for (const auto& entry : fs::directory_iterator(by_class, ec))
      if (entry.path().filename().string().find(':') != std::string::npos) found.push_back(entry.path());
    return found;
  }
  fs::path by_device = sys / "devices" / "virtual" / "powercap";
  if (fs::is_directory(by_device, ec)) collect_nested(by_device, found);
  return found;
}

class PowercapSensor final : public Sensor {
 public:
  PowercapSensor(PowercapZone zone, FileOpener open, std::string hardware, std::shared_ptr<Clock> clock)
      : zone_(std::move(zone)), open_(open ? std::move(open) : FileOpener{open_read_only}),
        name_(powercap_sensor_name(zone_)), hardware_(std::move(hardware)),
        clock_(clock ? std::move(clock) : system_clock()) {}

  std::string_view name() const noexcept override { return name_; }
  Domain domain() const noexcept override { return zone_.domain; }
  SignalKind kind() const noexcept override { return SignalKind::energy_counter; }

  Availability probe() override {
    fs::path energy = zone_.dir / "energy_uj";
    int fd = open_(energy);
    if (fd < 0) {
      int err = errno;
      if (err == EACCES || err == EPERM)
        return {false,
                "energy_uj is readable by root only (Linux 5.10 and later restrict RAPL counters, "
                "CVE-2020-8694)",
                powercap_permission_fix(sys_root(), zone_.control_type)};
      return {false, fmt::format("cannot open {}: {}", energy.string(), std::strerror(err)),
              "check that the powercap driver (intel_rapl_msr) is loaded"};
    }
    file_ = detail::KeptFile{fd};
    std::error_code ec;
    std::string range_text = detail::read_text(zone_.dir / "max_energy_range_uj", ec);
    std::string_view range_view = range_text;
    auto range = detail::next_u64(range_view);
    if (ec || !range || *range == 0)
      return {false, "max_energy_range_uj is missing or zero, so counter wraps could not be unfolded",
              "report this kernel's powercap layout to the greentrain maintainers"};
    max_range_uj_ = *range;
    auto first = read_raw(ec);
    if (!first)
      return {false, fmt::format("energy_uj does not hold a counter: {}", ec.message()),
              "check that the powercap driver (intel_rapl_msr) is loaded"};
    // A second probe keeps the origin, so the counter stays monotone for its readers.
    if (!probed_) last_raw_uj_ = *first;
    probed_ = true;
    return {true, fmt::format("reads {}", energy.string()), ""};
  }

  Reading read(std::error_code& ec) noexcept override {
    ec.clear();
    auto now = clock_->steady_now();
    if (!probed_) {
      ec = make_error_code(errc::sensor_unavailable);
      degraded_.store(true, std::memory_order_relaxed);
      return {joules(last_raw_uj_), now};
    }
    auto raw = read_raw(ec);
    if (!raw) {
      degraded_.store(true, std::memory_order_relaxed);
      return {joules(last_raw_uj_), now};
    }
    if (*raw < last_raw_uj_) unfolded_base_uj_ += max_range_uj_;
    last_raw_uj_ = *raw;
    return {joules(*raw), now};
  }

  Provenance provenance() const override {
    Provenance p;
    p.basis = Basis::measured;
    p.source = name_;
    p.degraded = degraded_.load(std::memory_order_relaxed);
    return p;
  }

  std::string hardware() const override { return hardware_; }

 private:
  std::optional<std::uint64_t> read_raw(std::error_code& ec) const noexcept {
    char buffer[32];
    std::string_view text = file_.read_head(buffer, ec);
    if (ec) return std::nullopt;
    auto value = detail::next_u64(text);
    if (!value) ec = make_error_code(errc::malformed_data);
    return value;
  }

  double joules(std::uint64_t raw_uj) const noexcept {
    return static_cast<double>(unfolded_base_uj_ + raw_uj) * 1e-6;
  }

  // <sys> is the folder above class/ or devices/ in the zone's path.
  fs::path sys_root() const {
    for (fs::path p = zone_.dir; p.has_parent_path() && p != p.parent_path(); p = p.parent_path())
      if (p.filename() == "class" || p.filename() == "devices") return p.parent_path();
    return "/sys";
  }

  PowercapZone zone_;
  FileOpener open_;
  std::string name_;
  std::string hardware_;
  std::shared_ptr<Clock> clock_;
  detail::KeptFile file_;
  std::uint64_t max_range_uj_ = 0;
  std::uint64_t last_raw_uj_ = 0;
  std::uint64_t unfolded_base_uj_ = 0;
  bool probed_ = false;
  std::atomic<bool> degraded_{false};  // set by the sampler, read by reports
};

}  // namespace

std::vector<PowercapZone> find_powercap_zones(const fs::path& sys) {
  std::vector<PowercapZone> zones;
  for (const auto& dir : zone_dirs(sys))
    if (auto zone = read_zone(dir)) zones.push_back(std::move(*zone));
  // MSR zones first: the MMIO interface only copies them.
  std::sort(zones.begin(), zones.end(), [](const auto& a, const auto& b) {
    bool a_mmio = a.control_type.ends_with("-mmio"), b_mmio = b.control_type.ends_with("-mmio");
    return std::tie(a_mmio, a.id) < std::tie(b_mmio, b.id);
  });
  // A subzone's package is its parent's.
  for (auto& zone : zones) {
    if (zone.package >= 0 || zone.parent_id.empty()) continue;
    auto parent = std::find_if(zones.begin(), zones.end(),
                               [&](const auto& z) { return z.id == zone.parent_id; });
    if (parent != zones.end()) {
      zone.package = parent->package;
      zone.die = parent->die;
    }
  }
  return zones;
}

std::string powercap_sensor_name(const PowercapZone& zone) {
  return fmt::format("powercap:{} {}", zone.id, zone.label);
}

std::unique_ptr<Sensor> make_powercap_sensor(PowercapZone zone, FileOpener open, std::string hardware,
                                             std::shared_ptr<Clock> clock) {
  return std::make_unique<PowercapSensor>(std::move(zone), std::move(open), std::move(hardware),
                                          std::move(clock));
}

std::string powercap_permission_fix(const fs::path& sys, const std::string& control_type) {
  return fmt::format(
      "sudo chmod o+r {}/class/powercap/{}:*/energy_uj (until reboot); to keep it, add the udev "
      "rule 'ACTION==\"add\", SUBSYSTEM==\"powercap\", RUN+=\"/bin/chmod o+r /sys%p/energy_uj\"' "
      "to /etc/udev/rules.d/70-rapl.rules; or run as root",
      sys.string(), control_type);
}

}  // namespace greentrain::sensors
