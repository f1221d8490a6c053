// Tracks a short loop and checks that the figures and the CSV came out.
#include <greentrain/tracker.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>

int main(int argc, char** argv) {
  std::filesystem::path dir = argc > 1 ? argv[1] : "consumer-output";
  double x = 0;
  greentrain::RunResult result;
  {
    greentrain::EmissionsTracker tracker{{.project = "consumer", .output_dir = dir, .zone = "FR"}};
    for (int i = 0; i < 20'000'000; ++i) x = std::fma(x, 0.999999, 1.0);
    result = tracker.stop();
  }
  bool ok = result.total.duration.count() > 0 && result.total.energy.value > 0 &&
            std::filesystem::exists(dir / "emissions.csv") && x > 0;
  std::printf("consumer: %s, %.3g Wh\n", ok ? "ok" : "FAILED", result.total.energy.value * 1000);
  return ok ? 0 : 1;
}
