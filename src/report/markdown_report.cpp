#include <fmt/format.h>

#include "greentrain/report.hpp"
#include "core/secrets.hpp"
#include "core/text.hpp"
#include "report/report_tables.hpp"

namespace greentrain {

namespace {

// A table cell: pipes would end the cell and line breaks the row.
std::string cell(std::string_view text) {
  std::string out;
  // Redacted before the escapes, which would hide a secret holding a pipe.
  for (char c : detail::redact(text)) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string row(const std::vector<std::string>& cells) {
  std::string line = "|";
  for (const auto& c : cells) line += " " + cell(c) + " |";
  return line + "\n";
}

}  // namespace

std::string markdown_report(const RunResult& run, const ReportExtras& extras) {
  std::string text = fmt::format("# {}\n\n{} from {} to {}.\n", detail::report_title(run),
                                 detail::measured_by(run), detail::iso_timestamp(run.total.started),
                                 detail::iso_timestamp(run.total.ended));
  for (const auto& table : detail::report_tables(run, extras)) {
    text += "\n## " + table.title + "\n\n" + row(table.header) + "|";
    for (std::size_t i = 0; i < table.header.size(); ++i) text += " --- |";
    text += "\n";
    for (const auto& r : table.rows) text += row(r);
    if (!table.note.empty()) text += "\n" + table.note + "\n";
  }
  return detail::redact(text);
}

}  // namespace greentrain
