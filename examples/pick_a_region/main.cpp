// Ranks European AWS and Google Cloud regions for a 4-hour, 300 W job, and compares the best with
// Frankfurt. Offline: the embedded yearly tables answer; a live provider would add forecasts.
#include <greentrain/intensity/embedded.hpp>
#include <greentrain/region_picker.hpp>

#include <chrono>
#include <cstdio>

int main() {
  greentrain::EmbeddedProvider grid;
  greentrain::RegionPicker picker{grid};
  greentrain::Job job{.start = std::chrono::system_clock::now(),
                      .duration = std::chrono::hours(4),
                      .power = greentrain::Watts{300}};
  greentrain::PickerOptions options{
      .constraints = {.providers = {"aws", "gcp"}, .countries = {"FR", "DE", "SE", "IE", "NL"}},
      .baseline = "aws:eu-central-1"};

  auto ranking = picker.rank(job, options);
  if (ranking.ranked.empty()) {
    std::puts("no region matched the constraints");
    return 1;
  }
  for (std::size_t i = 0; i < ranking.ranked.size() && i < 3; ++i) {
    const auto& region = ranking.ranked[i];
    std::printf("%zu. %-22s %5.0f g/kWh x PUE %.2f -> %6.0f g CO2e  %s\n", i + 1,
                region.region.key().c_str(), region.intensity.value, region.region.pue,
                region.emissions ? region.emissions->value : 0.0, region.why.c_str());
  }
  if (auto saving = ranking.ranked.front().saving_vs_baseline) {
    std::printf("best region: %.0f %% less CO2e than aws:eu-central-1\n", *saving * 100);
  }
}
