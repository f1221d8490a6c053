#include <catch2/catch.hpp>

#include "greentrain/sensors/sensor.hpp"

using namespace greentrain::sensors;

TEST_CASE("DRAM and modelled RAM count towards the ram component", "[sensors]") {
  CHECK(component_of(Domain::dram) == Component::ram);
  CHECK(component_of(Domain::ram) == Component::ram);
  CHECK(component_of(Domain::cpu_package) == Component::cpu);
  CHECK(component_of(Domain::gpu) == Component::gpu);
}

TEST_CASE("domains and components have the names reports print", "[sensors]") {
  CHECK(to_string(Domain::cpu_package) == "cpu-package");
  CHECK(to_string(Domain::psys) == "psys");
  CHECK(to_string(Component::gpu) == "gpu");
}
