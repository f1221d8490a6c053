#include "greentrain/trainer/csv_reader.hpp"

#include <catch2/catch.hpp>

#include "greentrain/error.hpp"

using namespace greentrain::trainer;
using Catch::Matchers::Contains;

namespace {
const std::filesystem::path fixtures = std::filesystem::path(GREENTRAIN_TEST_DATA) / "trainer";

std::string error_message(const std::filesystem::path& file, CsvOptions options = {}) {
  try {
    read_csv(file, options);
  } catch (const greentrain::error& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("a CSV with a header row reads labels and features", "[trainer][csv]") {
  auto data = read_csv(fixtures / "three.csv", {.header = true});
  REQUIRE(data.size() == 3);
  CHECK(data.feature_count == 2);
  CHECK(data.class_count == 3);  // largest label + 1
  CHECK(data.labels == std::vector<std::int32_t>{1, 0, 2});
  CHECK(data.row(1)[0] == -1.25f);
  CHECK(data.row(1)[1] == 300.0f);
}

TEST_CASE("the label column may be anywhere", "[trainer][csv]") {
  auto data = read_csv(fixtures / "crlf.csv", {.label_column = 2});
  CHECK(data.labels == std::vector<std::int32_t>{2, 3});
  CHECK(data.row(0)[0] == 1.0f);
  CHECK(data.row(0)[1] == 0.5f);
}

TEST_CASE("CRLF line endings are accepted", "[trainer][csv]") {
  auto data = read_csv(fixtures / "crlf.csv");
  CHECK(data.row(1)[1] == 3.0f);
}

TEST_CASE("a ragged CSV row names its line and the expected column count", "[trainer][csv]") {
  CHECK_THAT(error_message(fixtures / "ragged.csv"),
             Contains("ragged.csv:3") && Contains("2 columns: expected 3"));
}

TEST_CASE("a non-integer label is refused with its line", "[trainer][csv]") {
  CHECK_THAT(error_message(fixtures / "bad-label.csv"),
             Contains("bad-label.csv:2") && Contains("'x'") && Contains("integer label"));
}

TEST_CASE("a label beyond the given class count is refused", "[trainer][csv]") {
  CHECK_THAT(error_message(fixtures / "three.csv", {.class_count = 2, .header = true}),
             Contains("three.csv:4") && Contains("label 2 is out of range: expected 0..1"));
}

TEST_CASE("a non-numeric feature names the column", "[trainer][csv]") {
  CHECK_THAT(error_message(fixtures / "bad-number.csv"),
             Contains("bad-number.csv:2") && Contains("column 3 is 'abc'"));
}
