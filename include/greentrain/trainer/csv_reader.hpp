#pragma once
// CSV datasets: one example per line, an integer label column and numeric features.
// Errors throw greentrain::error naming the file, the line and what was expected.
#include <cstddef>
#include <filesystem>

#include "greentrain/trainer/dataset.hpp"

namespace greentrain::trainer {

struct CsvOptions {
  std::size_t label_column = 0;
  std::size_t class_count = 0;  // 0: one more than the largest label seen
  bool header = false;          // skip the first line
  char separator = ',';
};

Dataset read_csv(const std::filesystem::path& file, const CsvOptions& options = {});

}  // namespace greentrain::trainer
