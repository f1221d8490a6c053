#include <fmt/format.h>

#include "greentrain/report.hpp"
#include "core/secrets.hpp"
#include "core/text.hpp"
#include "report/report_tables.hpp"
#include "report/svg_chart.hpp"

namespace greentrain {

namespace {

using detail::markup_escape;

// System fonts only and print-friendly colours: the page must render offline and on paper.
constexpr std::string_view style = R"(
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.4; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eee; }
.chart { width: 100%; height: auto; margin: 0.5rem 0; }
.chart-title { font-size: 14px; font-weight: bold; }
.tick { font-size: 11px; fill: #444; }
.grid { stroke: #ccc; stroke-width: 1; }
.bar { fill: #2c7fb8; }
.note { font-style: italic; }
@media print { body { margin: 0; max-width: none; } .chart, table { break-inside: avoid; } }
)";

std::string html_table(const detail::ReportTable& table) {
  std::string html = "<h2>" + markup_escape(table.title) + "</h2>\n<table><thead><tr>";
  for (const auto& h : table.header) html += "<th>" + markup_escape(h) + "</th>";
  html += "</tr></thead><tbody>\n";
  for (const auto& row : table.rows) {
    html += "<tr>";
    for (const auto& c : row) html += "<td>" + markup_escape(c) + "</td>";
    html += "</tr>\n";
  }
  html += "</tbody></table>\n";
  if (!table.note.empty()) html += "<p class=\"note\">" + markup_escape(table.note) + "</p>\n";
  return html;
}

std::string charts(const RunResult& run) {
  std::vector<double> x;
  std::vector<double> cpu, gpu, ram, intensity, cumulative_kg;
  for (const auto& s : run.samples) {
    x.push_back(std::chrono::duration<double>(s.time - run.total.started).count());
    cpu.push_back(s.cpu.value);
    gpu.push_back(s.gpu.value);
    ram.push_back(s.ram.value);
    intensity.push_back(s.intensity.value);
    cumulative_kg.push_back(to_kg(s.cumulative));
  }
  std::vector<detail::ChartSeries> power;
  if (run.total.cpu.present) power.push_back({"CPU", "#d62728", cpu});
  if (run.total.gpu.present) power.push_back({"GPU", "#2ca02c", gpu});
  if (run.total.ram.present) power.push_back({"RAM", "#1f77b4", ram});
  std::vector<std::pair<std::string, double>> per_task;
  for (const auto& t : run.tasks) per_task.emplace_back(t.task, t.energy.value);

  std::string html = "<h2>Over time</h2>\n";
  html += detail::line_chart("Power per component", "W", x, power) + "\n";
  html +=
      detail::line_chart("Grid intensity", "g CO2e/kWh", x, {{"intensity", "#ff7f0e", intensity}}) +
      "\n";
  html += detail::line_chart("Cumulative emissions", "kg CO2e", x,
                             {{"emissions", "#7f7f7f", cumulative_kg}}) +
          "\n";
  if (!per_task.empty()) html += detail::bar_chart("Energy per task", "kWh", per_task) + "\n";
  return html;
}

}  // namespace

std::string html_report(const RunResult& run, const ReportExtras& extras) {
  std::string title = markup_escape(detail::report_title(run));
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>{}</title><style>{}</style></head><body>\n<h1>{}</h1>\n"
      "<p>{} from {} to {}.</p>\n",
      title, style, title, markup_escape(detail::measured_by(run)),
      markup_escape(detail::iso_timestamp(run.total.started)),
      markup_escape(detail::iso_timestamp(run.total.ended)));
  auto tables = detail::report_tables(run, extras);
  for (std::size_t i = 0; i < tables.size(); ++i) {
    html += html_table(tables[i]);
    if (i == 1) html += charts(run);  // after the figures and components, before the setting
  }
  // Each text was redacted as it was escaped; this pass covers any put in unescaped.
  return detail::redact(html + "</body></html>\n");
}

}  // namespace greentrain
