#include "greentrain/trainer/run_forecast.hpp"

#include <catch2/catch.hpp>

using namespace greentrain;
using namespace greentrain::trainer;

namespace {
EpochSummary epoch(std::size_t i, double seconds, std::optional<double> joules_so_far) {
  EpochSummary s;
  s.epoch = i;
  s.duration = Seconds{seconds};
  if (joules_so_far) s.energy = Joules{*joules_so_far};
  return s;
}
}  // namespace

TEST_CASE("one epoch measured extrapolates linearly", "[trainer][forecast]") {
  std::vector<EpochSummary> done{epoch(0, 10.0, 100.0)};
  auto f = forecast_run(done, 10);
  CHECK(f.duration.count() == Approx(100.0));
  CHECK(f.energy->value == Approx(1000.0));
  CHECK(f.epochs_total == 10);
}

TEST_CASE("the warm-up epoch is left out of the rate once later epochs exist", "[trainer][forecast]") {
  // Epoch 1 costs 15 s and 150 J (warm-up); later ones 10 s and 100 J each.
  std::vector<EpochSummary> done{epoch(0, 15.0, 150.0), epoch(1, 10.0, 250.0), epoch(2, 10.0, 350.0)};
  auto f = forecast_run(done, 10);
  CHECK(f.duration.count() == Approx(35.0 + 7 * 10.0));
  CHECK(f.energy->value == Approx(350.0 + 7 * 100.0));
}

TEST_CASE("without energy readings the forecast has duration only", "[trainer][forecast]") {
  std::vector<EpochSummary> done{epoch(0, 4.0, std::nullopt), epoch(1, 2.0, std::nullopt)};
  auto f = forecast_run(done, 4);
  CHECK(f.duration.count() == Approx(6.0 + 2 * 2.0));
  CHECK_FALSE(f.energy.has_value());
}
