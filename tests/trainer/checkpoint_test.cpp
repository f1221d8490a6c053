#include "trainer/checkpoint.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <iterator>
#include <zlib.h>

#include "greentrain/error.hpp"

using namespace greentrain::trainer;
using namespace greentrain::trainer::detail;
using Catch::Matchers::Contains;

namespace {

std::filesystem::path scratch(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / "greentrain-checkpoint-test";
  std::filesystem::create_directories(dir);
  return dir / name;
}

CheckpointData sample() {
  CheckpointData d;
  d.model = {4, {{3, Activation::gelu, 0.25f}}, 2};
  d.optimizer = OptimizerKind::adamw;
  d.epoch = 3;
  d.step = 77;
  d.seed = 0xfeedULL;
  d.batch_size = 16;
  d.parameters = {1.5f, -2.0f, 3.25f};
  d.first_moment = {0.1f, 0.2f, 0.3f};
  d.second_moment = {0.01f, 0.02f, 0.03f};
  return d;
}

std::vector<char> bytes_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::filesystem::path& file, const std::vector<char>& bytes) {
  std::ofstream(file, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string refusal(const std::filesystem::path& file) {
  try {
    read_checkpoint(file);
  } catch (const greentrain::error& e) {
    CHECK(e.code() == greentrain::errc::corrupt_checkpoint);
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("a checkpoint round-trips every field", "[trainer][checkpoint]") {
  auto file = scratch("round-trip.gtckpt");
  write_checkpoint(file, sample());
  auto d = read_checkpoint(file);
  CHECK(d.model == sample().model);
  CHECK(d.optimizer == OptimizerKind::adamw);
  CHECK(d.epoch == 3);
  CHECK(d.step == 77);
  CHECK(d.seed == 0xfeedULL);
  CHECK(d.batch_size == 16);
  CHECK(d.parameters == sample().parameters);
  CHECK(d.second_moment == sample().second_moment);
  CHECK_FALSE(std::filesystem::exists(file.string() + ".tmp." + std::to_string(::getpid())));
}

TEST_CASE("a flipped byte fails the checksum", "[trainer][checkpoint]") {
  auto file = scratch("flipped.gtckpt");
  write_checkpoint(file, sample());
  auto bytes = bytes_of(file);
  bytes[bytes.size() / 2] ^= 0x10;
  write_bytes(file, bytes);
  CHECK_THAT(refusal(file), Contains("checksum mismatch"));
}

TEST_CASE("a truncated checkpoint is refused", "[trainer][checkpoint]") {
  auto file = scratch("truncated.gtckpt");
  write_checkpoint(file, sample());
  auto bytes = bytes_of(file);
  bytes.resize(bytes.size() - 9);
  write_bytes(file, bytes);
  CHECK_THAT(refusal(file), Contains("checksum mismatch"));
}

TEST_CASE("a file that is not a checkpoint is refused by its magic bytes", "[trainer][checkpoint]") {
  auto file = scratch("not-a-checkpoint.gtckpt");
  write_bytes(file, {'h', 'e', 'l', 'l', 'o', '\n', 'w', 'o', 'r', 'l', 'd', '\n'});
  CHECK_THAT(refusal(file), Contains("not a greentrain checkpoint"));
}

TEST_CASE("a checkpoint from another format version is refused by version", "[trainer][checkpoint]") {
  auto file = scratch("future.gtckpt");
  write_checkpoint(file, sample());
  auto bytes = bytes_of(file);
  bytes[8] = 2;  // the version follows the 8 magic bytes
  auto crc = static_cast<std::uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size() - 4)));
  std::memcpy(bytes.data() + bytes.size() - 4, &crc, 4);
  write_bytes(file, bytes);
  CHECK_THAT(refusal(file), Contains("format version 2") && Contains("reads version 1"));
}

TEST_CASE("a float count whose byte size wraps around is refused, not allocated",
          "[trainer][checkpoint]") {
  auto file = scratch("wrapping-count.gtckpt");
  write_checkpoint(file, sample());
  auto bytes = bytes_of(file);
  // The parameter count follows magic (8), version and byte order (8), inputs, the layer count,
  // one layer (8 + 4 + 4), classes, the optimiser (4) and four counters (32).
  constexpr std::size_t count_at = 8 + 8 + 8 + 8 + 16 + 8 + 4 + 32;
  std::uint64_t stored = 0;
  std::memcpy(&stored, bytes.data() + count_at, 8);
  REQUIRE(stored == sample().parameters.size());
  std::uint64_t wrapping = (std::uint64_t{1} << 62) + 3;  // x 4 bytes wraps to 12
  std::memcpy(bytes.data() + count_at, &wrapping, 8);
  auto crc = static_cast<std::uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size() - 4)));
  std::memcpy(bytes.data() + bytes.size() - 4, &crc, 4);
  write_bytes(file, bytes);
  CHECK_THAT(refusal(file), Contains("truncated") && Contains("the parameters") &&
                                Contains("4611686018427387907 floats"));
}

TEST_CASE("saving over an existing checkpoint replaces it whole", "[trainer][checkpoint]") {
  auto file = scratch("replace.gtckpt");
  write_checkpoint(file, sample());
  auto next = sample();
  next.epoch = 4;
  next.parameters = {9.0f};
  write_checkpoint(file, next);
  auto d = read_checkpoint(file);
  CHECK(d.epoch == 4);
  CHECK(d.parameters == std::vector<float>{9.0f});
}
