#include "greentrain/trainer/csv_reader.hpp"

#include <fmt/format.h>

#include <charconv>
#include <fstream>
#include <string>
#include <string_view>

#include "core/bounded_file.hpp"
#include "greentrain/error.hpp"

namespace greentrain::trainer {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

Dataset read_csv(const std::filesystem::path& path, const CsvOptions& options) {
  greentrain::detail::check_regular_file(path, greentrain::detail::max_dataset_bytes,
                                         "a CSV data set");
  std::ifstream in(path);
  if (!in) throw error(errc::io_error, fmt::format("cannot open {}: no such readable file", path.string()));
  Dataset data;
  std::size_t columns = 0;
  std::string line;
  std::size_t line_number = 0;
  std::int32_t largest_label = -1;
  auto fail = [&](const std::string& what) {
    return error(errc::malformed_data, fmt::format("{}:{}: {}", path.string(), line_number, what));
  };
  while (std::getline(in, line)) {
    ++line_number;
    if (line_number == 1 && options.header) continue;
    std::string_view rest = trim(line);
    if (rest.empty()) continue;
    std::size_t column = 0;
    std::size_t row_start = data.features.size();
    while (true) {
      auto cut = rest.find(options.separator);
      std::string_view field = trim(rest.substr(0, cut));
      if (column == options.label_column) {
        std::int32_t label = -1;
        auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), label);
        if (ec != std::errc{} || end != field.data() + field.size() || label < 0)
          throw fail(fmt::format("column {} is '{}': expected a non-negative integer label",
                                 column + 1, field));
        if (options.class_count && static_cast<std::size_t>(label) >= options.class_count)
          throw fail(fmt::format("label {} is out of range: expected 0..{}", label,
                                 options.class_count - 1));
        largest_label = std::max(largest_label, label);
        data.labels.push_back(label);
      } else {
        float value = 0.0f;
        auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
        if (ec != std::errc{} || end != field.data() + field.size())
          throw fail(fmt::format("column {} is '{}': expected a number", column + 1, field));
        data.features.push_back(value);
      }
      ++column;
      if (cut == std::string_view::npos) break;
      rest.remove_prefix(cut + 1);
    }
    if (columns == 0) {
      if (column <= options.label_column)
        throw fail(fmt::format("{} columns: expected a label in column {}", column,
                               options.label_column + 1));
      columns = column;
    } else if (column != columns) {
      throw fail(fmt::format("{} columns: expected {} like the first row", column, columns));
    }
    (void)row_start;
  }
  if (data.labels.empty())
    throw error(errc::malformed_data, fmt::format("{}: no rows: expected at least one example", path.string()));
  data.feature_count = columns - 1;
  data.class_count =
      options.class_count ? options.class_count : static_cast<std::size_t>(largest_label) + 1;
  return data;
}

}  // namespace greentrain::trainer
