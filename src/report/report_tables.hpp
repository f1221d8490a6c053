#pragma once
// The report's content as titled tables of text, rendered once as Markdown and once as HTML, so
// that both formats say the same thing.
#include <string>
#include <vector>

#include "greentrain/report.hpp"

namespace greentrain::detail {

struct ReportTable {
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::string note;  // a sentence under the table; may be empty
};

std::string report_title(const RunResult& run);
// "Measured with greentrain", or whose figures these are when another tool wrote the row.
std::string measured_by(const RunResult& run);
std::vector<ReportTable> report_tables(const RunResult& run, const ReportExtras& extras);

// The compiler and libraries this report was built with.
std::string build_versions();

}  // namespace greentrain::detail
