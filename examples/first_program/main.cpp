// A first program: track a loop, one task per epoch, and say what was wrong if an option is.
#include <greentrain/greentrain.hpp>

#include <cstdio>
#include <string>

void train_one_epoch() {}  // your training step

int main(int argc, char** argv) {
  try {
    // Starts measuring; when it stops, writes emissions.csv and greentrain-<run>.json here.
    greentrain::EmissionsTracker tracker{
        {.project = "first-program", .zone = argc > 1 ? argv[1] : "FR"}};
    for (int epoch = 0; epoch < 3; ++epoch) {
      auto task = tracker.task("epoch-" + std::to_string(epoch));  // a scoped sub-measurement
      train_one_epoch();
    }
    std::puts(greentrain::summary(tracker.stop()).c_str());
  } catch (const greentrain::error& e) {  // a bad option: an unknown zone, a PUE below 1, ...
    std::fprintf(stderr, "first-program: %s\n", e.what());
    return 1;
  }
}
