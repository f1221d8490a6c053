#include "greentrain/trainer/host_energy.hpp"

#include <array>

namespace greentrain::trainer {

HostEnergy sum_host_energy(DataParallel& ranks, const Emissions& local) {
  std::array<double, 7> figures{};
  if (ranks.reads_host_energy()) {
    figures = {local.cpu.energy.value,
               local.gpu.energy.value,
               local.ram.energy.value,
               local.energy.value,
               local.emissions.value,
               1.0,
               local.cpu.present && local.cpu.provenance.basis == Basis::measured ? 1.0 : 0.0};
  }
  ranks.sum_to_root(figures);
  return {.cpu = KilowattHours{figures[0]},
          .gpu = KilowattHours{figures[1]},
          .ram = KilowattHours{figures[2]},
          .energy = KilowattHours{figures[3]},
          .emissions = GramsCo2e{figures[4]},
          .hosts = static_cast<int>(figures[5]),
          .hosts_measured = static_cast<int>(figures[6])};
}

}  // namespace greentrain::trainer
