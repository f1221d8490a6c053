#pragma once
// A small CSV reader for the embedded tables and traces: quoted fields, doubled quotes, LF or CRLF.
#include <cstddef>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

namespace greentrain::detail {

struct CsvRow {
  std::size_t line = 0;  // 1-based line number in the text, for error messages
  std::vector<std::string> fields;
};

// Reads one row at a time from a stream, so a file of a million rows never sits in memory whole.
class CsvReader {
 public:
  explicit CsvReader(std::streambuf& text) : text_(text) {}

  // The next non-blank row, header included, reusing `row`'s storage; false at the end.
  bool next(CsvRow& row);

 private:
  std::streambuf& text_;
  std::size_t line_ = 1;
};

// Every non-blank line, header included.
std::vector<CsvRow> parse_csv(std::string_view text);

// A read-only stream over text that stays owned by the caller.
class TextBuffer : public std::streambuf {
 public:
  explicit TextBuffer(std::string_view text) {
    char* begin = const_cast<char*>(text.data());  // never written: there is no put area
    setg(begin, begin, begin + text.size());
  }
};

// Throws greentrain::error naming `source` and the line of the first row whose field count is not
// the header's (rows[0]'s): a row cut short by a full disk or a crash is never read as data.
void require_whole_rows(const std::vector<CsvRow>& rows, std::string_view source);

// A whole-field number ("12.5"); nullopt for empty text, trailing junk or NaN.
std::optional<double> parse_number(std::string_view text);

}  // namespace greentrain::detail
