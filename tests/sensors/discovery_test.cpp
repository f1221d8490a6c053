#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>

#include "greentrain/sensors/discovery.hpp"
#include "sensors/fake_gpus.hpp"
#include "sensors/recorded_tree.hpp"

using namespace greentrain::sensors;
using greentrain::test::FakeGpus;
using greentrain::test::recorded;
using greentrain::test::TreeCopy;

namespace {

Roots roots_of(const std::filesystem::path& machine) {
  return {machine / "sys", machine / "proc", "/nonexistent/libnvidia-ml.so.1", {}};
}

std::vector<std::string> selected_names(const Discovery& found) {
  std::vector<std::string> names;
  for (const auto& sensor : found.selected) names.emplace_back(sensor->name());
  std::sort(names.begin(), names.end());
  return names;
}

const Candidate& candidate(const Discovery& found, const std::string& name) {
  for (const auto& c : found.candidates)
    if (c.name == name) return c;
  FAIL("no candidate " << name);
  throw;
}

const Sensor& selected(const Discovery& found, std::string_view name) {
  for (const auto& s : found.selected)
    if (s->name() == name) return *s;
  FAIL("not selected: " << name);
  throw;
}

}  // namespace

TEST_CASE("on an Intel laptop the package and DRAM are measured, nothing nested or copied",
          "[sensors][discovery]") {
  auto found = discover(roots_of(recorded("intel-laptop")));
  CHECK(selected_names(found) ==
        std::vector<std::string>{"powercap:intel-rapl:0 package-0", "powercap:intel-rapl:0:2 dram"});
  CHECK_THAT(candidate(found, "powercap:intel-rapl:0:0 core").verdict,
             Catch::StartsWith("nested in powercap:intel-rapl:0 package-0"));
  CHECK_THAT(candidate(found, "powercap:intel-rapl:0:1 uncore").verdict, Catch::StartsWith("nested in"));
  CHECK_THAT(candidate(found, "powercap:intel-rapl:1 psys").verdict, Catch::Contains("double-count"));
  CHECK_THAT(candidate(found, "powercap:intel-rapl-mmio:0 package-0").verdict,
             Catch::StartsWith("duplicate of powercap:intel-rapl:0 package-0"));
  CHECK_THAT(candidate(found, "model:cpu-tdp").verdict, Catch::StartsWith("not needed"));
  CHECK_FALSE(candidate(found, "nvml").availability.available);
  CHECK(found.warnings.empty());
  CHECK(found.machine.cpu_model == "Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz");
  CHECK(found.machine.cpu_count == 8);
  CHECK(found.machine.ram_total_gb == Approx(16303412.0 / 1048576.0));
}

TEST_CASE("on a two-socket Xeon each socket's package and DRAM are measured", "[sensors][discovery]") {
  auto found = discover(roots_of(recorded("xeon-2s")));
  CHECK(selected_names(found) == std::vector<std::string>{"powercap:intel-rapl:0 package-0",
                                                          "powercap:intel-rapl:0:0 dram",
                                                          "powercap:intel-rapl:1 package-1",
                                                          "powercap:intel-rapl:1:0 dram"});
  CHECK(found.machine.cpu_sockets == 2);
  CHECK(found.machine.cpu_count == 80);
}

TEST_CASE("on an AMD EPYC the per-die copies of the socket counter are dropped", "[sensors][discovery]") {
  auto found = discover(roots_of(recorded("amd-epyc")));
  CHECK(selected_names(found) == std::vector<std::string>{"model:ram", "powercap:intel-rapl:0 package-0-die-0"});
  CHECK_THAT(candidate(found, "powercap:intel-rapl:1 package-0-die-1").verdict,
             Catch::StartsWith("duplicate of powercap:intel-rapl:0 package-0-die-0 (AMD"));
  CHECK_THAT(candidate(found, "powercap:intel-rapl:1:0 core").verdict, Catch::Contains("duplicate zone"));
  CHECK_THAT(selected(found, "model:ram").provenance().source, Catch::Contains("[no RAPL dram counter]"));
}

TEST_CASE("per-die counters of an Intel package are separate unless they read the same",
          "[sensors][discovery]") {
  TreeCopy tree("amd-epyc");
  std::string cpuinfo = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Platinum 9282 CPU @ 2.60GHz\n";
  tree.write("proc/cpuinfo", cpuinfo);
  auto same = discover(roots_of(tree.sys().parent_path()));
  CHECK_FALSE(candidate(same, "powercap:intel-rapl:1 package-0-die-1").selected);
  tree.write("sys/devices/virtual/powercap/intel-rapl/intel-rapl:1/energy_uj", "12345\n");
  auto separate = discover(roots_of(tree.sys().parent_path()));
  CHECK(candidate(separate, "powercap:intel-rapl:1 package-0-die-1").selected);
  CHECK(candidate(separate, "powercap:intel-rapl:0 package-0-die-0").selected);
}

TEST_CASE("a machine without powercap is modelled, and labelled so", "[sensors][discovery]") {
  auto machine = recorded("vm-no-powercap");
  auto found = discover(roots_of(machine));
  CHECK(selected_names(found) == std::vector<std::string>{"model:cpu-tdp", "model:ram"});
  auto cpu = selected(found, "model:cpu-tdp").provenance();
  CHECK(cpu.basis == greentrain::Basis::modelled);
  CHECK_THAT(cpu.source, Catch::Contains("default: 4 W x 2 threads, CPU 'AMD EPYC' not in table"));
  CHECK_THAT(cpu.source, Catch::Contains("[no RAPL counter under " + (machine / "sys").string()));
  CHECK(found.machine.cpu_model == "AMD EPYC");
  CHECK(found.machine.cpu_count == 2);
  CHECK(found.machine.gpu_count == 0);
}

TEST_CASE("a root-only energy_uj is reported with its fix, and the model says why it is used",
          "[sensors][discovery]") {
  auto roots = roots_of(recorded("intel-laptop"));
  roots.open_file = [](const std::filesystem::path& path) {
    if (path.filename() == "energy_uj") {
      errno = EACCES;
      return -1;
    }
    return open_read_only(path);
  };
  auto found = discover(roots);
  CHECK(selected_names(found) == std::vector<std::string>{"model:cpu-tdp", "model:ram"});
  const auto& package = candidate(found, "powercap:intel-rapl:0 package-0");
  CHECK_FALSE(package.availability.available);
  CHECK(package.verdict == "unreadable");
  CHECK_THAT(package.availability.fix, Catch::Contains("chmod o+r"));
  REQUIRE(found.warnings.size() == 1);
  CHECK_THAT(found.warnings[0], Catch::Contains("readable by root only"));
  CHECK_THAT(found.warnings[0], Catch::Contains("sudo chmod o+r"));
  CHECK_THAT(selected(found, "model:cpu-tdp").provenance().source,
             Catch::Contains("package-0 unreadable: energy_uj is readable by root only"));
  // The laptop's CPU is in the table, so the model uses its TDP.
  CHECK_THAT(selected(found, "model:cpu-tdp").provenance().source, Catch::Contains("15.0 W TDP"));
}

TEST_CASE("one unreadable socket makes the whole CPU modelled rather than half measured",
          "[sensors][discovery]") {
  auto roots = roots_of(recorded("xeon-2s"));
  roots.open_file = [](const std::filesystem::path& path) {
    if (path.parent_path().filename() == "intel-rapl:1") {
      errno = EACCES;
      return -1;
    }
    return open_read_only(path);
  };
  auto found = discover(roots);
  CHECK_FALSE(candidate(found, "powercap:intel-rapl:0 package-0").selected);
  CHECK_THAT(candidate(found, "powercap:intel-rapl:0 package-0").verdict, Catch::Contains("miss a socket"));
  CHECK(candidate(found, "model:cpu-tdp").selected);
  CHECK(candidate(found, "powercap:intel-rapl:1:0 dram").selected);
}

TEST_CASE("NVIDIA GPUs are discovered through NVML", "[sensors][discovery]") {
  FakeGpus machine{{"FAKE_NVML_COUNT", "2"}, {"FAKE_NVML_ENERGY", "1000,2000"}};
  auto roots = roots_of(recorded("vm-no-powercap"));
  roots.nvml_library = FAKE_NVML_LIBRARY;
  auto found = discover(roots);
  CHECK(selected(found, "nvml:GPU-fake-1 energy").domain() == Domain::gpu);
  CHECK(found.machine.gpu_count == 2);
  CHECK(found.machine.gpu_model == "Fake GPU 0, Fake GPU 1");
}

TEST_CASE("every sensor of this machine is considered and the selection is non-overlapping",
          "[sensors][discovery]") {
  auto found = discover();
  CHECK_FALSE(found.machine.cpu_model.empty());
  CHECK(std::count_if(found.candidates.begin(), found.candidates.end(),
                      [](const Candidate& c) { return c.selected; }) ==
        static_cast<long>(found.selected.size()));
  CHECK(std::any_of(found.selected.begin(), found.selected.end(),
                    [](const auto& s) { return component_of(s->domain()) == Component::cpu; }));
}
