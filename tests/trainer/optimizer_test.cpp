#include "greentrain/trainer/optimizer.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>

#include "trainer/blocked_weights.hpp"
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

TEST_CASE("SGD and AdamW on blocked weights update each weight as on row-major ones",
          "[trainer][optimizer]") {
  // One 32 x 64 layer blocked as OI16i64o: rows 16 apart interleave within a block.
  ParameterLayout layout(ModelSpec{32, {}, 64});
  layout.layers[0].block_inputs = 16;
  layout.layers[0].block_outputs = 64;
  const DenseShape& s = layout.layers[0];
  std::vector<float> w(layout.size), m(layout.size, 0.01f), v(layout.size, 0.02f), g(layout.size);
  for (std::size_t i = 0; i < layout.size; ++i) {
    w[i] = 0.001f * static_cast<float>(i % 97);
    g[i] = 0.01f * static_cast<float>(i % 13) - 0.05f;
  }
  std::vector<std::uint16_t> plain_bf16(layout.size), blocked_bf16(layout.size);
  // SGD takes the CPU's own bf16 conversion where it has one, AdamW the portable loop.
  const auto kind = GENERATE(OptimizerKind::sgd_momentum, OptimizerKind::adamw);
  OptimizerSpec spec{kind, 0.01, 0.9, 0.9, 0.999, 1e-8, 0.05};
  auto bw = w, bm = m, bv = v;
  update(spec, 0.01, 3, {w, m, v, plain_bf16}, g.data(), {s.weight_offset, s.bias_offset, true});
  for (auto* values : {&bw, &bm, &bv}) to_blocked(layout, *values);
  // Rows 6 to 32, then 0 to 6: the pieces threads take, in pairs of rows for the bf16 copy.
  OptimizerState blocked{bw, bm, bv, blocked_bf16};
  update_blocked(spec, 0.01, 3, blocked, g.data() + 6 * s.outputs, s, 6, 26);
  update_blocked(spec, 0.01, 3, blocked, g.data(), s, 0, 6);
  CHECK_THROWS(update_blocked(spec, 0.01, 3, blocked, g.data(), s, 1, 2));
  for (auto* values : {&bw, &bm, &bv}) to_row_major(layout, *values);
  for (std::size_t i = s.weight_offset; i < s.bias_offset; ++i) {
    INFO("weight " << i);
    // The two paths may contract the arithmetic into FMAs differently: equal to rounding, which
    // for a velocity that cancels to near zero is that of its terms (about 0.01).
    REQUIRE(bw[i] == Approx(w[i]).epsilon(1e-6).margin(1e-8));
    REQUIRE(bm[i] == Approx(m[i]).epsilon(1e-6).margin(1e-8));
    REQUIRE(bv[i] == Approx(v[i]).epsilon(1e-6).margin(1e-8));
    // The bf16 copy is OI8i64o2i: input pairs interleaved within each 16 x 64 block.
    const std::size_t row = (i - s.weight_offset) / s.outputs;
    const std::size_t column = (i - s.weight_offset) % s.outputs;
    const std::size_t at =
        s.weight_offset + (row / 16) * 16 * 64 + (row % 16 / 2) * 128 + column * 2 + row % 2;
    REQUIRE(std::abs(blocked_bf16[at] - plain_bf16[i]) <= 1);  // one bf16 step at most
  }
  CHECK(bw[s.weight_offset + 70] != 0.001f * 70);  // the update did move the weights
}
