#include "sensors/microarchitecture.hpp"

#include <catch2/catch.hpp>

#include "greentrain/sensors/discovery.hpp"
#include "sensors/recorded_tree.hpp"

using greentrain::sensors::detail::microarchitecture;

TEST_CASE("CPUID's family and model name the microarchitecture", "[sensors][cpuid]") {
  CHECK(microarchitecture("AuthenticAMD", 25, 17, 1) == "Zen 4");      // EPYC 9004 (Genoa)
  CHECK(microarchitecture("AuthenticAMD", 25, 1, 1) == "Zen 3");       // EPYC 7003 (Milan)
  CHECK(microarchitecture("AuthenticAMD", 25, 0xA0, 2) == "Zen 4c");   // EPYC 8004 (Siena)
  CHECK(microarchitecture("AuthenticAMD", 23, 0x31, 0) == "Zen 2");    // EPYC 7002 (Rome)
  CHECK(microarchitecture("AuthenticAMD", 23, 1, 1) == "Zen / Zen+");  // Threadripper 1950X
  CHECK(microarchitecture("AuthenticAMD", 26, 2, 1) == "Zen 5");
  CHECK(microarchitecture("GenuineIntel", 6, 0x55, 4) == "Skylake");
  CHECK(microarchitecture("GenuineIntel", 6, 0x55, 7) == "Cascade Lake");
  CHECK(microarchitecture("GenuineIntel", 6, 0x8F, 8) == "Sapphire Rapids");
  CHECK(microarchitecture("GenuineIntel", 6, 0x3F, 2) == "Haswell");
  CHECK(microarchitecture("GenuineIntel", 6, 0x01, 0).empty());  // not known here
  CHECK(microarchitecture("GenuineIntel", 15, 0x55, 7).empty());
  CHECK(microarchitecture("CentaurHauls", 6, 0x0F, 0).empty());
  CHECK(microarchitecture("AuthenticAMD", -1, -1, -1).empty());  // cpuinfo without the fields
}

TEST_CASE("a VM's hidden CPU name is told by its CPUID, and its model's provenance says so",
          "[sensors][cpuid]") {
  auto tree = greentrain::test::recorded("vm-no-powercap");
  auto found = greentrain::sensors::discover({.sys = tree / "sys", .proc = tree / "proc"});
  CHECK(found.machine.cpu_model == "AMD EPYC");
  CHECK(found.machine.cpu_microarchitecture == "Zen 4 (CPUID family 25 model 17 stepping 1)");
  std::string source;
  for (const auto& s : found.selected)
    if (s->name() == "model:cpu-tdp") source = s->provenance().source;
  CHECK_THAT(source, Catch::Contains("CPU 'AMD EPYC' not in table; Zen 4 (CPUID family 25 "
                                     "model 17 stepping 1)]"));
  auto laptop = greentrain::test::recorded("intel-laptop");
  auto known = greentrain::sensors::discover({.sys = laptop / "sys", .proc = laptop / "proc"});
  CHECK(known.machine.cpu_microarchitecture.empty());  // its cpuinfo omits CPUID's fields
}
