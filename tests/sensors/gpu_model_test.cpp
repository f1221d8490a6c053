#include "greentrain/sensors/gpu_model.hpp"

#include <catch2/catch.hpp>

using namespace greentrain::sensors;

TEST_CASE("a GPU is known by its board's name as a word of the model", "[sensors][gpu-model]") {
  REQUIRE(lookup_gpu("NVIDIA A100-SXM4-40GB"));
  CHECK(lookup_gpu("NVIDIA A100-SXM4-40GB")->model == "A100");
  CHECK(lookup_gpu("Tesla t4")->model == "T4");
  CHECK(lookup_gpu("NVIDIA A10G")->model == "A10G");
  CHECK_FALSE(lookup_gpu("NVIDIA A10"));  // another board, with no published figures here
  CHECK_FALSE(lookup_gpu("RTX 4070 T4X"));
  CHECK_FALSE(lookup_gpu(""));
}

TEST_CASE("a GPU's modelled power runs from its idle to its full power", "[sensors][gpu-model]") {
  auto v100 = *lookup_gpu("Tesla V100-PCIE-16GB");
  CHECK(v100.watts(0.0) == 35.0);
  CHECK(v100.watts(1.0) == 306.0);
  CHECK(v100.watts(0.5) == Approx((35.0 + 306.0) / 2));
  CHECK(v100.watts(2.0) == 306.0);
}
