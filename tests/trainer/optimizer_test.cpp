#include "greentrain/trainer/optimizer.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "trainer/optimizer_step.hpp"

using namespace greentrain::trainer;
using namespace greentrain::trainer::detail;

TEST_CASE("cosine schedule warms up linearly then decays to the final fraction", "[trainer][lr]") {
  LrSchedule s{ScheduleKind::cosine, 10, 0, 0.1, 0.1};
  CHECK(s.rate_at(1.0, 0, 110) == Approx(0.1));
  CHECK(s.rate_at(1.0, 9, 110) == Approx(1.0));
  CHECK(s.rate_at(1.0, 10, 110) == Approx(1.0));
  CHECK(s.rate_at(1.0, 60, 110) == Approx(0.55));  // half way: (1 + 0.1) / 2
  CHECK(s.rate_at(1.0, 110, 110) == Approx(0.1));
}

TEST_CASE("step schedule multiplies by gamma every step_every steps", "[trainer][lr]") {
  LrSchedule s{ScheduleKind::step, 0, 100, 0.5, 0.0};
  CHECK(s.rate_at(0.8, 99, 1000) == Approx(0.8));
  CHECK(s.rate_at(0.8, 100, 1000) == Approx(0.4));
  CHECK(s.rate_at(0.8, 250, 1000) == Approx(0.2));
}

TEST_CASE("SGD with momentum sums the shards and decays weights but not biases", "[trainer][optimizer]") {
  std::vector<float> w{1.0f, 2.0f}, velocity{0.5f, 0.5f}, none;
  std::vector<std::uint16_t> no_bf16;
  std::vector<float> g0{0.1f, 0.1f}, g1{0.3f, 0.3f};
  std::vector<float*> shards{g0.data(), g1.data()};
  OptimizerSpec spec{OptimizerKind::sgd_momentum, 0.1, 0.9, 0.9, 0.999, 1e-8, 0.01};
  OptimizerState state{w, velocity, none, no_bf16};
  update(spec, 0.1, 1, state, shards, {0, 1, true});   // a weight
  update(spec, 0.1, 1, state, shards, {1, 2, false});  // a bias
  // v = 0.9 * 0.5 + (0.4 + 0.01 * 1) = 0.86; w = 1 - 0.1 * 0.86
  CHECK(velocity[0] == Approx(0.86f));
  CHECK(w[0] == Approx(0.914f));
  CHECK(velocity[1] == Approx(0.85f));
  CHECK(w[1] == Approx(1.915f));
}

TEST_CASE("AdamW's first step moves each weight by the learning rate", "[trainer][optimizer]") {
  std::vector<float> w{1.0f, -1.0f}, m(2), v(2);
  std::vector<std::uint16_t> w_bf16(2);
  std::vector<float> g{0.5f, -2.0f};
  std::vector<float*> shards{g.data()};
  OptimizerSpec spec{OptimizerKind::adamw, 0.01, 0.9, 0.9, 0.999, 1e-8, 0.1};
  update(spec, 0.01, 1, {w, m, v, w_bf16}, shards, {0, 2, true});
  // Bias-corrected m / sqrt(v) = sign(g) on step 1; decoupled decay adds lr * wd * w.
  CHECK(w[0] == Approx(1.0 - 0.01 * (1.0 + 0.1)));
  CHECK(w[1] == Approx(-1.0 + 0.01 * (1.0 + 0.1)));
  CHECK(m[1] == Approx(-0.2f));
  CHECK(w_bf16[0] == 0x3f7d);  // bf16 copy refreshed: 0.989 rounds to 0x3f7d
}
