#include "greentrain/outputs/json.hpp"
#include "greentrain/report.hpp"

namespace greentrain {

ReportOutput::ReportOutput(std::filesystem::path directory, ReportExtras extras)
    : directory_(std::move(directory)), extras_(std::move(extras)) {}

void ReportOutput::write_run(const RunResult& run, std::span<const Emissions>,
                             std::error_code& ec) {
  std::filesystem::create_directories(directory_, ec);
  if (ec) return;
  auto stem = directory_ / ("greentrain-report-" + run.info.run_id);
  write_file_atomically(stem.string() + ".md", markdown_report(run, extras_), ec);
  if (!ec) write_file_atomically(stem.string() + ".html", html_report(run, extras_), ec);
}

}  // namespace greentrain
