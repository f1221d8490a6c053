#include "tracker/sample_history.hpp"

#include <catch2/catch.hpp>

using namespace greentrain;
using detail::SampleHistory;

namespace {

SystemTime at_second(int s) { return SystemTime{} + std::chrono::seconds(s); }

Sample one_second(int end, double cpu_watts, double cumulative_g) {
  return {.time = at_second(end),
          .duration = Seconds(1),
          .cpu = Watts{cpu_watts},
          .gpu = Watts{0},
          .ram = Watts{3},
          .intensity = GramsPerKwh{100},
          .cumulative = GramsCo2e{cumulative_g}};
}

}  // namespace

TEST_CASE("merging two samples averages power over time and keeps the later total", "[history]") {
  Sample a = one_second(1, 10, 1.0);
  Sample b = one_second(4, 40, 2.0);
  b.duration = Seconds(3);
  Sample m = detail::merge(a, b);
  CHECK(m.duration.count() == Approx(4.0));
  CHECK(m.cpu.value == Approx((10.0 * 1 + 40.0 * 3) / 4));
  CHECK(m.cumulative.value == Approx(2.0));
  CHECK(m.time == at_second(4));
}

TEST_CASE("a full history halves and keeps the whole run at coarser resolution", "[history]") {
  SampleHistory history(8);
  for (int s = 1; s <= 30 * 3600; ++s) history.add(one_second(s, s % 2 ? 10 : 30, s * 0.01));
  auto samples = history.samples();
  CHECK(samples.size() <= 9);
  CHECK(samples.back().time == at_second(30 * 3600));
  CHECK(samples.back().cumulative.value == Approx(30 * 3600 * 0.01));
  Seconds covered{};
  for (const auto& s : samples) covered += s.duration;
  CHECK(covered.count() == Approx(30 * 3600));
  CHECK(samples.front().cpu.value == Approx(20.0));  // alternating 10 W and 30 W, averaged
}

TEST_CASE("samples after a time are the later ones only", "[history]") {
  SampleHistory history(64);
  for (int s = 1; s <= 10; ++s) history.add(one_second(s, 10, s));
  auto later = history.samples_after(at_second(7));
  REQUIRE(later.size() == 3);
  CHECK(later.front().time == at_second(8));
  CHECK(history.samples_after(at_second(10)).empty());
}

TEST_CASE("an interval of no length is not a sample", "[history]") {
  SampleHistory history(4);
  Sample empty = one_second(1, 10, 1);
  empty.duration = Seconds(0);
  history.add(empty);
  CHECK(history.samples().empty());
}
