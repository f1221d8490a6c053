#include <catch2/catch.hpp>

#include "greentrain/sensors/nvml.hpp"
#include "greentrain/sensors/ram_model.hpp"
#include "sensors/fake_gpus.hpp"

using namespace greentrain::sensors;
using greentrain::test::FakeGpus;

TEST_CASE("a missing NVML library is explained with the driver to install", "[sensors][nvml]") {
  auto gpus = find_nvml_devices("/nonexistent/libnvidia-ml.so.1");
  CHECK_FALSE(gpus.availability.available);
  CHECK_THAT(gpus.availability.reason, Catch::Contains("could not be loaded"));
  CHECK_THAT(gpus.availability.fix, Catch::Contains("NVIDIA driver"));
  CHECK(gpus.sensors.empty());
}

TEST_CASE("a failing nvmlInit is reported with NVML's own words", "[sensors][nvml]") {
  FakeGpus machine{{"FAKE_NVML_INIT", "9"}};
  auto gpus = find_nvml_devices(FAKE_NVML_LIBRARY);
  CHECK_FALSE(gpus.availability.available);
  CHECK_THAT(gpus.availability.reason, Catch::Contains("nvmlInit failed: Driver Not Loaded"));
  CHECK(gpus.sensors.empty());
}

TEST_CASE("NVML without a GPU says so", "[sensors][nvml]") {
  FakeGpus machine{{"FAKE_NVML_COUNT", "0"}};
  auto gpus = find_nvml_devices(FAKE_NVML_LIBRARY);
  CHECK_FALSE(gpus.availability.available);
  CHECK(gpus.availability.reason == "NVML found no GPU");
}

TEST_CASE("Volta and newer GPUs give a total-energy counter in joules, keyed by UUID", "[sensors][nvml]") {
  FakeGpus machine{{"FAKE_NVML_COUNT", "2"}, {"FAKE_NVML_ENERGY", "5000,7000"}};
  auto gpus = find_nvml_devices(FAKE_NVML_LIBRARY);
  REQUIRE(gpus.availability.available);
  REQUIRE(gpus.sensors.size() == 2);
  CHECK(gpus.unused.empty());
  auto& second = *gpus.sensors[1];
  CHECK(second.name() == "nvml:GPU-fake-1 energy");
  CHECK(second.kind() == SignalKind::energy_counter);
  CHECK(second.domain() == Domain::gpu);
  CHECK(second.hardware() == "Fake GPU 1");
  REQUIRE(second.probe().available);
  std::error_code ec;
  CHECK(second.read(ec).value == Approx(7.0));
  FakeGpus::set("FAKE_NVML_ENERGY", "5000,9500");
  CHECK(second.read(ec).value == Approx(9.5));
  CHECK_FALSE(ec);
  CHECK(second.provenance().source == "nvml:GPU-fake-1 energy");
}

TEST_CASE("older GPUs without the counter fall back to their power draw in watts", "[sensors][nvml]") {
  FakeGpus machine{{"FAKE_NVML_COUNT", "1"}, {"FAKE_NVML_POWER", "250500"}};
  auto gpus = find_nvml_devices(FAKE_NVML_LIBRARY);
  REQUIRE(gpus.sensors.size() == 1);
  auto& gpu = *gpus.sensors[0];
  CHECK(gpu.name() == "nvml:GPU-fake-0 power");
  CHECK(gpu.kind() == SignalKind::power);
  std::error_code ec;
  CHECK(gpu.read(ec).value == Approx(250.5));
  CHECK_THAT(gpu.provenance().source, Catch::Contains("integrated over time"));
  REQUIRE(gpus.unused.size() == 1);
  CHECK(gpus.unused[0].name == "nvml:GPU-fake-0 energy");
  CHECK_THAT(gpus.unused[0].why.reason, Catch::Contains("no total-energy counter"));
}

TEST_CASE("GPU utilisation is read from NVML for GPU sensors only", "[sensors][nvml]") {
  FakeGpus machine{{"FAKE_NVML_COUNT", "1"}, {"FAKE_NVML_ENERGY", "1"}, {"FAKE_NVML_UTIL", "73"}};
  auto gpus = find_nvml_devices(FAKE_NVML_LIBRARY);
  REQUIRE(gpus.sensors.size() == 1);
  CHECK(gpus.sensors[0]->utilisation_percent() == Approx(73.0));
  auto ram = make_ram_model_sensor(8.0);
  CHECK_FALSE(ram->utilisation_percent().has_value());
}

TEST_CASE("GPU sensors keep NVML loaded after the device list is gone", "[sensors][nvml]") {
  FakeGpus machine{{"FAKE_NVML_COUNT", "1"}, {"FAKE_NVML_ENERGY", "4000"}};
  std::unique_ptr<Sensor> kept;
  {
    auto gpus = find_nvml_devices(FAKE_NVML_LIBRARY);
    REQUIRE(gpus.sensors.size() == 1);
    kept = std::move(gpus.sensors[0]);
  }
  std::error_code ec;
  CHECK(kept->read(ec).value == Approx(4.0));
}
