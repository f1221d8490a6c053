#pragma once
// GPU power modelled from a board's published idle and full power, for a job that has not run
// (`greentrain estimate`); a tracked run measures GPUs through NVML instead.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace greentrain::sensors {

struct GpuPowerRange {
  std::string model;  // "A100"
  double idle_w = 0;  // Cloud Carbon Footprint's min and max watts of the board
  double full_w = 0;

  // idle + (full - idle) x load, load in [0, 1].
  double watts(double load) const noexcept;
};

// Cloud Carbon Footprint's boards (Apache-2.0): T4 8-71 W, V100 35-306 W, A100 46-407 W,
// A10G 18-153 W.
const std::vector<GpuPowerRange>& known_gpus();

// The board a name refers to ("NVIDIA A100-SXM4-40GB" is the A100), case aside; nullopt when
// it names none of known_gpus().
std::optional<GpuPowerRange> lookup_gpu(std::string_view name);

}  // namespace greentrain::sensors
