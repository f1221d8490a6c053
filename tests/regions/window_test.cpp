// The Carbon Aware SDK's published cases (EmissionsDataExtensionsTests, ForecastHandlerTests)
// for RollingAverage, AverageOverPeriod and the optimal window, plus the interruptible case.
#include "greentrain/scheduling/window.hpp"

#include <catch2/catch.hpp>
#include <limits>
#include <random>

#include "greentrain/error.hpp"
#include "greentrain/intensity/trace.hpp"
#include "support/forecast_table.hpp"

using namespace greentrain;
using namespace greentrain::scheduling;
using namespace std::chrono;
using greentrain::testing::series;

namespace {

const SystemTime t0 = sys_days{2020y / January / 1};
const auto sdk_data = series(t0, 5min, {10, 20, 30, 40});

std::vector<double> ratings(const std::vector<IntensityPoint>& points) {
  std::vector<double> out;
  for (const auto& p : points) out.push_back(p.intensity.value);
  return out;
}

std::vector<double> rolling(seconds window, seconds tick) {
  return ratings(rolling_average(sdk_data, window, {}, {}, tick));
}

// A day and a half of points whose step changes at random among 5, 15, 30 and 60 minutes, with
// a gap of up to 3 h now and then.
std::vector<IntensityPoint> mixed_steps(std::mt19937& random) {
  std::uniform_int_distribution<int> step_choice(0, 3), value(20, 500), gap_hours(1, 3);
  std::bernoulli_distribution change_step(0.1), gap(0.01);
  const minutes steps[] = {5min, 15min, 30min, 60min};
  std::vector<IntensityPoint> points;
  minutes step = steps[step_choice(random)];
  for (SystemTime t = t0; t < t0 + 36h;) {
    if (change_step(random)) step = steps[step_choice(random)];
    points.push_back({t, step, GramsPerKwh{static_cast<double>(value(random))}});
    t += step;
    if (gap(random)) t += hours{gap_hours(random)};
  }
  return points;
}

// The least average over every whole-minute start: every edge of these points is on a minute.
double exhaustive_least(const std::vector<IntensityPoint>& points, SystemTime arrival,
                        minutes duration, SystemTime deadline) {
  double least = std::numeric_limits<double>::infinity();
  for (SystemTime s = arrival; s + duration <= deadline; s += 1min) {
    try {
      least = std::min(least, average_over_period(points, s, s + duration).value);
    } catch (const error&) {
      // this start crosses a gap
    }
  }
  return least;
}

}  // namespace

TEST_CASE("SDK rolling average over window and tick sizes", "[scheduling]") {
  using V = std::vector<double>;
  CHECK(rolling(5min, 5min) == V{10, 20, 30, 40});
  CHECK(rolling(10min, 5min) == V{15, 25, 35});
  CHECK(rolling(2min, 5min) == V{10, 20, 30, 40});
  CHECK(rolling(5min, 4min) == V{10, 18, 26, 34});
  CHECK(rolling(10min, 4min) == V{15, 23, 31});
  CHECK(rolling(2min, 4min) == V{10, 15, 20, 30, 40});
  CHECK(rolling(5min, 7min) == V{10, 24, 38});
  CHECK(rolling(10min, 7min) == V{15, 29});
  CHECK(rolling(2min, 7min) == V{10, 20, 35});
}

TEST_CASE("SDK rolling average output points start every tick and last the window",
          "[scheduling]") {
  auto windows = rolling_average(sdk_data, 5min, {}, {}, 4min);
  REQUIRE(windows.size() == 4);
  CHECK(windows[3].time == t0 + 12min);
  CHECK(windows[3].duration == 5min);
}

TEST_CASE("SDK rolling average: window 0 returns the data, tick 0 the data's granularity",
          "[scheduling]") {
  CHECK(ratings(rolling_average(sdk_data, 0s)) == std::vector<double>{10, 20, 30, 40});
  CHECK(rolling(10min, 0s) == std::vector<double>{15, 25, 35});
  CHECK(rolling_average({}, 5min).empty());
}

TEST_CASE("SDK rolling average between a start and an end", "[scheduling]") {
  using V = std::vector<double>;
  auto between = [](minutes start, minutes end) {
    return rolling_average(sdk_data, 5min, t0 + start, t0 + end);
  };
  auto a = between(5min, 15min);
  CHECK(ratings(a) == V{20, 30});
  CHECK(a.front().time == t0 + 5min);
  auto b = between(2min, 20min);
  CHECK(ratings(b) == V{14, 24, 34});
  CHECK(b.front().time == t0 + 2min);
  CHECK(ratings(between(0min, 18min)) == V{10, 20, 30});
  CHECK(ratings(between(5min, 20min)) == V{20, 30, 40});
  CHECK(ratings(between(-10min, 30min)) == V{10, 20, 30, 40});  // clamped to the data
}

TEST_CASE("SDK average over period weights partial points by overlap", "[scheduling]") {
  CHECK(average_over_period(sdk_data, t0, t0 + 20min).value == Approx(25.00));
  CHECK(average_over_period(sdk_data, t0 + 4min, t0 + 20min).value == Approx(28.75));
  CHECK(average_over_period(sdk_data, t0, t0 + 16min).value == Approx(21.25));
  CHECK(average_over_period(sdk_data, t0 + 150s, t0 + 17min + 30s).value == Approx(25.00));
  CHECK(average_over_period(sdk_data, t0 + 2min, t0 + 3min).value == Approx(10.00));
  CHECK(average_over_period({}, t0, t0 + 1min).value == 0.0);
  auto single = series(t0 + 10min, 5min, {50});
  CHECK(average_over_period(single, t0 + 11min, t0 + 12min).value == Approx(50));
}

TEST_CASE("SDK average over period: hourly example gives 70", "[scheduling]") {
  auto hourly = series(t0 + 1h, 1h, {30, 100, 50});
  CHECK(average_over_period(hourly, t0 + 90min, t0 + 210min).value == Approx(70));
}

TEST_CASE("average over a period the data does not cover is an error", "[scheduling]") {
  CHECK_THROWS_AS(average_over_period(sdk_data, t0 + 15min, t0 + 25min), error);
  auto gap = sdk_data;
  gap.erase(gap.begin() + 1);
  CHECK_THROWS_AS(average_over_period(gap, t0, t0 + 20min), error);
}

TEST_CASE("SDK doc-comment rolling averages with a 10 minute window", "[scheduling]") {
  using V = std::vector<double>;
  auto roll = [](const std::vector<double>& values) {
    return ratings(rolling_average(series(t0, 5min, values), 10min));
  };
  CHECK(roll({10, 20, 30, 40, 5}) == V{15, 25, 35, 22.5});
  CHECK(roll({5, 55, 10, 10, 10}) == V{30, 32.5, 10, 10});
  CHECK(roll({12, 11, 10, 12, 13}) == V{11.5, 10.5, 11, 12.5});
}

TEST_CASE("SDK forecast filter keeps points overlapping the period", "[scheduling]") {
  CHECK(filter_by_period(sdk_data, t0, t0 + 20min).size() == 4);
  CHECK(filter_by_period(sdk_data, t0 + 2min, t0 + 12min).size() == 3);
}

TEST_CASE("SDK forecast handler: 10 minute windows from 00:00 to 00:15", "[scheduling]") {
  auto kept = filter_by_period(sdk_data, t0, t0 + 15min);
  auto windows = rolling_average(kept, 10min, t0, t0 + 15min);
  CHECK(ratings(windows) == std::vector<double>{15, 25});
  CHECK(windows[0].time == t0);
  CHECK(windows[1].time == t0 + 5min);
  CHECK(windows[1].duration == 10min);
}

TEST_CASE("SDK forecast handler: the optimal point is the first for both periods", "[scheduling]") {
  auto whole = best_windows(sdk_data, 0s, t0, t0 + 20min);
  REQUIRE(whole.size() == 1);
  CHECK(whole[0].time == t0);
  auto later = best_windows(sdk_data, 0s, t0 + 5min, t0 + 20min);
  REQUIRE(later.size() == 1);
  CHECK(later[0].time == t0 + 5min);
}

TEST_CASE("best window reports every tie", "[scheduling]") {
  auto data = series(t0, 1h, {50, 10, 10, 50, 10, 10, 50});
  auto best = best_windows(data, 2h, t0, t0 + 7h);
  REQUIRE(best.size() == 2);
  CHECK(best[0].time == t0 + 1h);
  CHECK(best[1].time == t0 + 4h);
  CHECK(best[0].intensity.value == Approx(10));
}

TEST_CASE("best window must end by the deadline", "[scheduling]") {
  auto data = series(t0, 1h, {50, 40, 30, 20, 10});
  auto best = best_windows(data, 2h, t0, t0 + 4h);
  REQUIRE(best.size() == 1);
  CHECK(best[0].time == t0 + 2h);
  CHECK(best[0].intensity.value == Approx(25));
  CHECK_THROWS_AS(best_windows(data, 2h, t0 - 1h, t0 + 4h), error);  // outside the forecast
  CHECK_THROWS_AS(best_windows(data, 6h, t0, t0 + 5h), error);       // no window fits
}

TEST_CASE("an interruptible job takes the cheapest slots before the deadline", "[scheduling]") {
  auto data = series(t0, 1h, {50, 10, 40, 5, 30, 1});
  auto plan = cheapest_slots(data, 3h, t0, t0 + 5h);  // the 1 at 05:00 is past the deadline
  REQUIRE(plan.slots.size() == 3);
  CHECK(plan.slots[0].time == t0 + 1h);
  CHECK(plan.slots[1].time == t0 + 3h);
  CHECK(plan.slots[2].time == t0 + 4h);
  CHECK(plan.average.value == Approx((10 + 5 + 30) / 3.0));
}

TEST_CASE("an interruptible job clips slots to the start and takes part of the last",
          "[scheduling]") {
  auto data = series(t0, 1h, {5, 20, 30});
  auto plan = cheapest_slots(data, 90min, t0 + 30min, t0 + 3h);
  REQUIRE(plan.slots.size() == 2);
  CHECK(plan.slots[0].time == t0 + 30min);
  CHECK(plan.slots[0].duration == 30min);
  CHECK(plan.slots[1].time == t0 + 1h);
  CHECK(plan.slots[1].duration == 1h);
  CHECK(plan.average.value == Approx((5 * 30 + 20 * 60) / 90.0));
  CHECK_THROWS_AS(cheapest_slots(data, 4h, t0, t0 + 3h), error);
}

TEST_CASE("best window equals the exhaustive least over arrivals, durations and mixed steps",
          "[scheduling]") {
  std::mt19937 random(12);
  std::uniform_int_distribution<int> arrival_minute(0, 20 * 60), duration_minutes(1, 6 * 60),
      slack_minutes(0, 12 * 60);
  int compared = 0;
  for (int trace = 0; trace < 20; ++trace) {
    auto points = mixed_steps(random);
    SystemTime data_end = points.back().time + points.back().duration;
    for (int job = 0; job < 15; ++job) {
      SystemTime arrival = t0 + minutes{arrival_minute(random)};
      minutes duration{duration_minutes(random)};
      SystemTime deadline = std::min(data_end, arrival + duration + minutes{slack_minutes(random)});
      if (arrival + duration > deadline) continue;
      double least = exhaustive_least(points, arrival, duration, deadline);
      INFO("trace " << trace << ", job " << job);
      if (std::isinf(least)) {
        CHECK_THROWS_AS(best_windows(points, duration, arrival, deadline), error);
        continue;
      }
      auto best = best_windows(points, duration, arrival, deadline);
      REQUIRE(!best.empty());
      CHECK(best.front().intensity.value == Approx(least).epsilon(1e-9));
      for (const auto& w : best) {  // each tie really is a start with that average
        CHECK(w.time >= arrival);
        CHECK(w.time + duration <= deadline);
        CHECK(average_over_period(points, w.time, w.time + duration).value ==
              Approx(least).epsilon(1e-9));
      }
      ++compared;
    }
  }
  CHECK(compared > 200);
}

TEST_CASE("best window finds a quarter-hour start after the step changes from 30 to 15 minutes",
          "[scheduling]") {
  auto data = series(t0, 30min, {100, 100});
  for (auto& p : series(t0 + 1h, 15min, {100, 10, 10, 100})) data.push_back(p);
  auto best = best_windows(data, 30min, t0, t0 + 2h);
  REQUIRE(best.size() == 1);
  CHECK(best[0].time == t0 + 75min);
  CHECK(best[0].intensity.value == Approx(10));
}

TEST_CASE("best window on the GB 2020 trace across its change to 15 minute data", "[scheduling]") {
  auto gb = TraceProvider::load(GREENTRAIN_SOURCE_DIR "/data/traces/gb-2020-halfhourly.csv");
  SystemTime arrival = sys_days{2020y / October / 31} + 23h;
  auto forecast = gb.forecast(Location::zone("GB"), arrival, arrival + 12h);
  auto best = best_windows(forecast.points, 4h, arrival, arrival + 12h);
  REQUIRE(best.size() == 1);
  CHECK(best[0].time == sys_days{2020y / November / 1} + 2h + 15min);  // not 02:00 at 110.110
  CHECK(best[0].intensity.value == Approx(109.637).epsilon(1e-5));
}

TEST_CASE("best window skips the starts whose window crosses a gap", "[scheduling]") {
  auto data = series(t0, 1h, {50, 10, 20});
  for (auto& p : series(t0 + 5h, 1h, {30, 40})) data.push_back(p);  // nothing from 03:00 to 05:00
  auto best = best_windows(data, 2h, t0, t0 + 7h);
  REQUIRE(best.size() == 1);
  CHECK(best[0].time == t0 + 1h);
  CHECK(best[0].intensity.value == Approx(15));
  CHECK_THROWS_WITH(best_windows(data, 4h, t0, t0 + 7h),
                    Catch::Contains("crosses one of the forecast's 1 gaps (the first from "
                                    "2020-01-01T03:00:00Z to 2020-01-01T05:00:00Z)"));
  auto holes = gaps(data, t0, t0 + 7h);
  REQUIRE(holes.size() == 1);
  CHECK(holes[0].from == t0 + 3h);
  CHECK(holes[0].to == t0 + 5h);
}

TEST_CASE("an interruptible job's deadline past the forecast's end is an error, not shortened",
          "[scheduling]") {
  auto data = series(t0, 1h, {50, 10, 40});
  CHECK_THROWS_WITH(cheapest_slots(data, 1h, t0, t0 + 5h),
                    Catch::StartsWith("the forecast ends at 2020-01-01T03:00:00Z, before the "
                                      "deadline 2020-01-01T05:00:00Z"));
  CHECK_THROWS_WITH(cheapest_slots(data, 1h, t0 - 1h, t0 + 3h),
                    Catch::StartsWith("the forecast starts at 2020-01-01T00:00:00Z"));
}

TEST_CASE("an interruptible job takes no slot in a gap", "[scheduling]") {
  auto data = series(t0, 1h, {50, 40});
  for (auto& p : series(t0 + 4h, 1h, {60})) data.push_back(p);
  auto plan = cheapest_slots(data, 3h, t0, t0 + 5h);
  REQUIRE(plan.slots.size() == 3);
  CHECK(plan.slots[2].time == t0 + 4h);
  CHECK(plan.average.value == Approx(50));
}

TEST_CASE("averaging past the forecast's end says where it ends, a gap where it is",
          "[scheduling]") {
  CHECK_THROWS_WITH(average_over_period(sdk_data, t0 + 15min, t0 + 25min),
                    "the forecast ends at 2020-01-01T00:20:00Z, before 2020-01-01T00:25:00Z");
  auto gap = sdk_data;
  gap.erase(gap.begin() + 1);
  CHECK_THROWS_WITH(average_over_period(gap, t0, t0 + 20min),
                    Catch::StartsWith("the forecast has no data from 2020-01-01T00:05:00Z to "
                                      "2020-01-01T00:10:00Z"));
}
