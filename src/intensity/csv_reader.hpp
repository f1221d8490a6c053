#pragma once
// A small CSV reader for the embedded tables and traces: quoted fields, doubled quotes, LF or CRLF.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace greentrain::detail {

struct CsvRow {
  std::size_t line = 0;  // 1-based line number in the text, for error messages
  std::vector<std::string> fields;
};

// Every non-blank line, header included.
std::vector<CsvRow> parse_csv(std::string_view text);

// Throws greentrain::error naming `source` and the line of the first row whose field count is not
// the header's (rows[0]'s): a row cut short by a full disk or a crash is never read as data.
void require_whole_rows(const std::vector<CsvRow>& rows, std::string_view source);

// A whole-field number ("12.5"); nullopt for empty text, trailing junk or NaN.
std::optional<double> parse_number(std::string_view text);

}  // namespace greentrain::detail
