#include "greentrain/trainer/dataset.hpp"

#include <catch2/catch.hpp>
#include <numeric>

#include "greentrain/trainer/model_spec.hpp"

using namespace greentrain::trainer;

namespace {
Dataset counting(std::size_t rows) {
  Dataset d;
  d.feature_count = 2;
  d.class_count = 3;
  for (std::size_t i = 0; i < rows; ++i) {
    d.features.push_back(static_cast<float>(i));
    d.features.push_back(static_cast<float>(2 * i));
    d.labels.push_back(static_cast<std::int32_t>(i % 3));
  }
  return d;
}
}  // namespace

TEST_CASE("normalisation gives the training set zero mean and unit variance", "[trainer][data]") {
  auto d = counting(10);
  auto n = fit_normalisation(d, 0.5f);
  normalise(d, n);
  double sum = std::accumulate(d.features.begin(), d.features.end(), 0.0);
  double sum_sq = 0.0;
  for (float v : d.features) sum_sq += double{v} * v;
  CHECK(sum / 20.0 == Approx(0.0).margin(1e-6));
  CHECK(sum_sq / 20.0 == Approx(1.0).epsilon(1e-5));
  CHECK(n.mean == Approx(0.5 * 6.75));  // mean of 0..9 and 0..18 together, halved
}

TEST_CASE("the split keeps every row once and is the same for the same seed", "[trainer][data]") {
  auto d = counting(100);
  auto a = split(d, 0.2, 7);
  auto b = split(d, 0.2, 7);
  auto c = split(d, 0.2, 8);
  REQUIRE(a.train.size() == 80);
  REQUIRE(a.validation.size() == 20);
  CHECK(a.validation.features == b.validation.features);
  CHECK(a.validation.features != c.validation.features);
  std::vector<float> firsts;
  for (const Dataset* part : {&a.train, &a.validation})
    for (std::size_t i = 0; i < part->size(); ++i) {
      firsts.push_back(part->row(i)[0]);
      CHECK(part->row(i)[1] == 2 * part->row(i)[0]);  // rows stay whole
      CHECK(part->labels[i] == static_cast<std::int32_t>(part->row(i)[0]) % 3);
    }
  std::sort(firsts.begin(), firsts.end());
  for (std::size_t i = 0; i < firsts.size(); ++i) CHECK(firsts[i] == static_cast<float>(i));
}

TEST_CASE("layer widths parse from a comma list and bad ones are refused", "[trainer][data]") {
  auto layers = parse_hidden_layers("1024,512", Activation::gelu, 0.1f);
  REQUIRE(layers.size() == 2);
  CHECK(layers[1].width == 512);
  CHECK(layers[1].activation == Activation::gelu);
  CHECK_THROWS_WITH(parse_hidden_layers("1024,,5", Activation::relu),
                    Catch::Matchers::Contains("layer width ''"));
  CHECK(ModelSpec{784, layers, 10}.describe() == "784-1024-512-10");
}
