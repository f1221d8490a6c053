#include "intensity/csv_reader.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "greentrain/error.hpp"

namespace greentrain::detail {

std::vector<CsvRow> parse_csv(std::string_view text) {
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  bool quoted = false;
  bool row_has_content = false;
  std::size_t line = 1;
  row.line = 1;
  auto end_row = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
    if (row_has_content || row.fields.size() > 1) rows.push_back(std::move(row));
    row = CsvRow{};
    row_has_content = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      row_has_content = true;
    } else if (c == ',') {
      row.fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\r') {
      // CR of a CRLF pair, or a lone CR: both end nothing on their own.
    } else if (c == '\n') {
      end_row();
      row.line = ++line;
    } else {
      field += c;
      row_has_content = true;
    }
  }
  if (row_has_content || !row.fields.empty()) end_row();
  return rows;
}

void require_whole_rows(const std::vector<CsvRow>& rows, std::string_view source) {
  for (std::size_t r = 1; r < rows.size(); ++r)
    if (rows[r].fields.size() != rows[0].fields.size())
      throw error(errc::malformed_data,
                  fmt::format("{} line {}: {} fields where the header has {}, a row cut short (by "
                              "a full disk perhaps); remove that line, the rows before it are "
                              "whole",
                              source, rows[r].line, rows[r].fields.size(), rows[0].fields.size()));
}

std::optional<double> parse_number(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

}  // namespace greentrain::detail
