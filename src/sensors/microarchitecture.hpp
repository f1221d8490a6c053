#pragma once
// The CPU's microarchitecture from CPUID's family, model and stepping (as /proc/cpuinfo prints
// them), for the machines whose model name says little: cloud VMs print "AMD EPYC".
#include <string>
#include <string_view>

namespace greentrain::sensors::detail {

// "Zen 4", "Cascade Lake"; empty when the family and model are not known here.
std::string microarchitecture(std::string_view vendor, int family, int model, int stepping);

}  // namespace greentrain::sensors::detail
