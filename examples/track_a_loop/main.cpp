// Tracks a loop with one task per "epoch" and prints the summary: the README's example, compiled.
#include <greentrain/summary.hpp>
#include <greentrain/tracker.hpp>

#include <cmath>
#include <cstdio>
#include <string>

double train_one_epoch() {
  double x = 0;
  for (int i = 0; i < 5'000'000; ++i) x = std::fma(x, 0.999999, 1.0);
  return x;
}

int main(int argc, char** argv) {
  greentrain::EmissionsTracker tracker{{.project = "track-a-loop",
                                        .output_dir = argc > 1 ? argv[1] : ".",
                                        .zone = "FR"}};
  for (int epoch = 0; epoch < 3; ++epoch) {
    auto task = tracker.task("epoch-" + std::to_string(epoch));
    train_one_epoch();
  }
  std::puts(greentrain::summary(tracker.stop()).c_str());
}
