#pragma once
// Which powercap zones may be summed: one counter per socket for the CPU (packages) and for the RAM
// (dram), never a nested domain, never a second copy of one counter.
#include <string>
#include <vector>

#include "greentrain/sensors/powercap.hpp"

namespace greentrain::sensors::detail {

struct ZoneVerdict {
  bool selected = false;
  std::string why;  // "selected for cpu", "nested in ...", "duplicate of ...", "unreadable"
};

// readable[i] says whether zones[i] probed available. amd_vendor: the CPU is AMD or Hygon, whose
// package counter is per socket, so per-die zones of one package are copies of it.
std::vector<ZoneVerdict> choose_zones(const std::vector<PowercapZone>& zones,
                                      const std::vector<bool>& readable, bool amd_vendor);

}  // namespace greentrain::sensors::detail
