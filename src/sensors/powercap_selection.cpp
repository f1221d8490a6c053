#include "sensors/powercap_selection.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sensors/kept_file.hpp"

namespace greentrain::sensors::detail {

namespace {

constexpr std::string_view mmio_suffix = "-mmio";

// Two zones are one counter when they read the same value at the same moment.
bool same_counter(const PowercapZone& a, const PowercapZone& b) {
  std::error_code ec_a, ec_b;
  auto text_a = read_text(a.dir / "energy_uj", ec_a);
  auto text_b = read_text(b.dir / "energy_uj", ec_b);
  return !ec_a && !ec_b && trim(text_a) == trim(text_b);
}

class Chooser {
 public:
  Chooser(const std::vector<PowercapZone>& zones, const std::vector<bool>& readable, bool amd)
      : zones_(zones), readable_(readable), amd_(amd), verdicts_(zones.size()), decided_(zones.size()) {}

  std::vector<ZoneVerdict> run() {
    drop_mmio_copies();
    drop_die_copies();
    for (std::size_t i = 0; i < zones_.size(); ++i)
      if (!decided_[i]) judge(i);
    keep_whole_sets(Domain::cpu_package);
    keep_whole_sets(Domain::dram);
    return verdicts_;
  }

 private:
  void decide(std::size_t i, bool selected, std::string why) {
    verdicts_[i] = {selected, std::move(why)};
    decided_[i] = true;
  }

  std::string name(std::size_t i) const { return powercap_sensor_name(zones_[i]); }

  std::optional<std::size_t> find(auto predicate) const {
    for (std::size_t i = 0; i < zones_.size(); ++i)
      if (predicate(zones_[i])) return i;
    return std::nullopt;
  }

  void mark_duplicate(std::size_t copy, std::size_t original, std::string_view because) {
    decide(copy, false, fmt::format("duplicate of {} ({})", name(original), because));
    // Its subzones copy the original's subzones too.
    for (std::size_t j = 0; j < zones_.size(); ++j)
      if (zones_[j].parent_id == zones_[copy].id && !decided_[j])
        decide(j, false, fmt::format("inside {}, a duplicate zone", name(copy)));
  }

  // intel-rapl-mmio:0 "package-0" is the same package counter read through MMIO.
  void drop_mmio_copies() {
    for (std::size_t i = 0; i < zones_.size(); ++i) {
      const auto& zone = zones_[i];
      if (!zone.control_type.ends_with(mmio_suffix) || decided_[i]) continue;
      std::string msr_type = zone.control_type.substr(0, zone.control_type.size() - mmio_suffix.size());
      auto msr = find([&](const PowercapZone& z) {
        return z.control_type == msr_type && z.label == zone.label;
      });
      if (!msr) continue;
      if (readable_[*msr] || !readable_[i])
        mark_duplicate(i, *msr, "the MMIO interface exposes the same counter");
      else
        mark_duplicate(*msr, i, "the MMIO interface exposes the same counter, and only it is readable");
    }
  }

  // AMD kernels may list one socket's package counter once per die ("package-0-die-1").
  void drop_die_copies() {
    for (std::size_t i = 0; i < zones_.size(); ++i) {
      const auto& zone = zones_[i];
      if (zone.domain != Domain::cpu_package || zone.die <= 0 || decided_[i]) continue;
      auto first_die = find([&](const PowercapZone& z) {
        return z.domain == Domain::cpu_package && z.control_type == zone.control_type &&
               z.package == zone.package && z.die == 0;
      });
      if (!first_die) continue;
      if (amd_)
        mark_duplicate(i, *first_die, "AMD counts energy per socket, not per die");
      else if (same_counter(zone, zones_[*first_die]))
        mark_duplicate(i, *first_die, "it reads the same counter value");
    }
  }

  void judge(std::size_t i) {
    const auto& zone = zones_[i];
    if (!readable_[i]) return decide(i, false, "unreadable");
    switch (zone.domain) {
      case Domain::cpu_package: return decide(i, true, "selected for cpu");
      case Domain::dram:
        return decide(i, true, "selected for ram (DRAM energy is outside the package counter)");
      case Domain::cpu_core:
      case Domain::cpu_uncore: {
        auto parent = find([&](const PowercapZone& z) { return z.id == zone.parent_id; });
        return decide(i, false, fmt::format("nested in {}: already counted in it",
                                            parent ? name(*parent) : zone.parent_id));
      }
      case Domain::psys: {
        bool has_package = std::any_of(zones_.begin(), zones_.end(), [](const PowercapZone& z) {
          return z.domain == Domain::cpu_package;
        });
        if (has_package)
          return decide(i, false,
                        "contains the packages and more (whole platform): summing it with them "
                        "would double-count");
        return decide(i, true, "selected for cpu (no package counter; psys covers the platform)");
      }
      case Domain::gpu:
      case Domain::ram: break;
    }
    decide(i, false, "not a RAPL domain");
  }

  // A sum over sockets that misses one socket is wrong: use all counters of a domain or none.
  void keep_whole_sets(Domain domain) {
    bool any_unreadable = false;
    for (std::size_t i = 0; i < zones_.size(); ++i)
      if (zones_[i].domain == domain && verdicts_[i].why == "unreadable") any_unreadable = true;
    if (!any_unreadable) return;
    for (std::size_t i = 0; i < zones_.size(); ++i)
      if (zones_[i].domain == domain && verdicts_[i].selected)
        verdicts_[i] = {false, fmt::format("not used: another {} counter is unreadable, so the sum "
                                           "would miss a socket", to_string(domain))};
  }

  const std::vector<PowercapZone>& zones_;
  const std::vector<bool>& readable_;
  bool amd_;
  std::vector<ZoneVerdict> verdicts_;
  std::vector<bool> decided_;
};

}  // namespace

std::vector<ZoneVerdict> choose_zones(const std::vector<PowercapZone>& zones,
                                      const std::vector<bool>& readable, bool amd_vendor) {
  return Chooser(zones, readable, amd_vendor).run();
}

}  // namespace greentrain::sensors::detail
