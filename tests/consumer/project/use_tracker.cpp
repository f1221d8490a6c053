// The core: a tracked loop writes its CSV and reports energy.
#include <greentrain/tracker.hpp>

#include <cmath>

#include "uses.hpp"

bool use_tracker(const std::filesystem::path& dir) {
  double x = 0;
  greentrain::RunResult result;
  {
    greentrain::EmissionsTracker tracker{{.project = "consumer", .output_dir = dir, .zone = "FR"}};
    for (int i = 0; i < 20'000'000; ++i) x = std::fma(x, 0.999999, 1.0);
    result = tracker.stop();
  }
  return result.total.duration.count() > 0 && result.total.energy.value > 0 &&
         std::filesystem::exists(dir / "emissions.csv") && x > 0;
}
