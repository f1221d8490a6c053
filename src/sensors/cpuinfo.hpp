#pragma once
// What <proc>/cpuinfo says about the CPU: model, vendor, logical CPUs and sockets.
#include <filesystem>
#include <string>

namespace greentrain::sensors::detail {

struct CpuInfo {
  std::string model;   // "model name"; "unknown" when absent
  std::string vendor;  // "vendor_id": GenuineIntel, AuthenticAMD, HygonGenuine
  int logical_cpus = 0;
  int sockets = 1;
  bool virtualised = false;  // the "hypervisor" flag: a VM's sockets are not the host's packages
  int family = -1, model_number = -1, stepping = -1;  // CPUID's, where cpuinfo prints them

  bool amd_like() const { return vendor == "AuthenticAMD" || vendor == "HygonGenuine"; }
};

CpuInfo read_cpuinfo(const std::filesystem::path& proc);

}  // namespace greentrain::sensors::detail
