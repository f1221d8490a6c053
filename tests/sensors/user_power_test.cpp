#include "greentrain/sensors/user_power.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace greentrain;
using namespace greentrain::sensors;

namespace {

Discovery vm() {
  std::filesystem::path tree = GREENTRAIN_TEST_DATA "/sensors/vm-no-powercap";
  return discover({.sys = tree / "sys",
                   .proc = tree / "proc",
                   .nvml_library = "/nonexistent/libnvidia-ml.so.1"});
}

const Sensor* selected_for(const Discovery& d, Component component) {
  for (const auto& s : d.selected)
    if (component_of(s->domain()) == component) return s.get();
  return nullptr;
}

}  // namespace

TEST_CASE("a stated CPU power replaces the CPU model and says it was given by the user",
          "[sensors][user]") {
  Discovery found = vm();
  REQUIRE(selected_for(found, Component::cpu)->provenance().basis == Basis::modelled);
  apply_power_overrides(found, {.cpu = Watts{65}});

  const Sensor* cpu = selected_for(found, Component::cpu);
  REQUIRE(cpu != nullptr);
  CHECK(cpu->name() == "user:cpu-power");
  CHECK(cpu->provenance().basis == Basis::user);
  CHECK(cpu->provenance().source == "given by the user: 65 W");
  CHECK(std::count_if(found.selected.begin(), found.selected.end(), [](const auto& s) {
          return component_of(s->domain()) == Component::cpu;
        }) == 1);
  auto model = std::find_if(found.candidates.begin(), found.candidates.end(),
                            [](const Candidate& c) { return c.name == "model:cpu-tdp"; });
  REQUIRE(model != found.candidates.end());
  CHECK_FALSE(model->selected);
  CHECK(model->verdict == "replaced by the user's figure: 65 W");
  // RAM keeps its model.
  CHECK(selected_for(found, Component::ram)->provenance().basis == Basis::modelled);
}

TEST_CASE("a stated GPU power counts on a machine where no GPU is seen", "[sensors][user]") {
  Discovery found = vm();
  REQUIRE(selected_for(found, Component::gpu) == nullptr);
  apply_power_overrides(found, {.gpu = Watts{300}});
  const Sensor* gpu = selected_for(found, Component::gpu);
  REQUIRE(gpu != nullptr);
  std::error_code ec;
  CHECK(gpu->kind() == SignalKind::power);
  CHECK(make_user_power_sensor(Component::gpu, Watts{300})->read(ec).value == 300);
  CHECK_FALSE(ec);
}
