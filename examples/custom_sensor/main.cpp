// A sensor of the user's own: an accelerator on an external power meter, here a stand-in that
// reads a steady 40 W. The tracker integrates it as the GPU component, next to the machine's own
// CPU and RAM sensors, and the result names it as the source.
#include <greentrain/sensors/discovery.hpp>
#include <greentrain/tracker.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

namespace sensors = greentrain::sensors;

class LabPowerMeter : public sensors::Sensor {
 public:
  std::string_view name() const noexcept override { return "lab-meter:accelerator"; }
  sensors::Domain domain() const noexcept override { return sensors::Domain::gpu; }
  sensors::SignalKind kind() const noexcept override { return sensors::SignalKind::power; }
  sensors::Availability probe() override { return {.available = true, .reason = "always on"}; }
  sensors::Reading read(std::error_code&) noexcept override {
    return {.value = 40.0, .at = std::chrono::steady_clock::now()};  // watts
  }
  greentrain::Provenance provenance() const override {
    return {greentrain::Basis::measured, "lab-meter:accelerator (external wattmeter)"};
  }
  std::string hardware() const override { return "accelerator on a lab power meter"; }
};

int main(int argc, char** argv) {
  greentrain::TrackerOptions options{.project = "custom-sensor",
                                     .output_dir = argc > 1 ? argv[1] : ".",
                                     .interval = std::chrono::milliseconds(50),
                                     .zone = "FR"};
  options.discover = [] {
    auto found = sensors::discover();  // the machine's CPU and RAM sensors
    found.selected.push_back(std::make_unique<LabPowerMeter>());
    return found;
  };
  greentrain::EmissionsTracker tracker{std::move(options)};
  double x = 0;
  for (int i = 0; i < 30'000'000; ++i) x = std::fma(x, 0.999999, 1.0);
  const auto& run = tracker.stop();

  const auto& gpu = run.total.gpu;
  std::printf("accelerator: %.3f Wh, mean %.1f W, from %s (x = %.0f)\n", gpu.energy.value * 1000,
              gpu.mean_power.value, gpu.provenance.source.c_str(), x);
  return gpu.present && std::abs(gpu.mean_power.value - 40.0) < 1.0 ? 0 : 1;
}
