#include "core/csv_reader.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "greentrain/error.hpp"

namespace greentrain::detail {

bool CsvReader::next(CsvRow& row) {
  using traits = std::streambuf::traits_type;
  std::size_t used = 0;  // fields of `row` filled so far; the rest are spare storage
  auto field = [&]() -> std::string& {
    if (used == row.fields.size()) row.fields.emplace_back();
    return row.fields[used];
  };
  auto start_row = [&] {
    used = 0;
    field().clear();
    row.line = line_;
  };
  start_row();
  bool quoted = false;
  bool has_content = false;
  for (int c = text_.sbumpc();; c = text_.sbumpc()) {
    if (c == traits::eof()) {
      if (!has_content && used == 0) return false;
      row.fields.resize(used + 1);
      return true;
    }
    char ch = traits::to_char_type(c);
    if (quoted) {
      if (ch == '"' && text_.sgetc() == '"') {
        field() += '"';
        text_.sbumpc();
      } else if (ch == '"') {
        quoted = false;
      } else {
        if (ch == '\n') ++line_;
        field() += ch;
      }
      continue;
    }
    if (ch == '"') {
      quoted = true;
      has_content = true;
    } else if (ch == ',') {
      ++used;
      field().clear();
    } else if (ch == '\r') {
      // CR of a CRLF pair, or a lone CR: both end nothing on their own.
    } else if (ch == '\n') {
      ++line_;
      if (has_content || used > 0) {
        row.fields.resize(used + 1);
        return true;
      }
      start_row();  // a blank line
    } else {
      field() += ch;
      has_content = true;
    }
  }
}

std::vector<CsvRow> parse_csv(std::string_view text) {
  TextBuffer buffer(text);
  CsvReader reader(buffer);
  std::vector<CsvRow> rows;
  for (CsvRow row; reader.next(row);) rows.push_back(row);
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
