// greentrain report: the emissions report of a finished run, from the files the tracker wrote.
#include "greentrain/report.hpp"

#include <fmt/format.h>

#include "args.hpp"
#include "command.hpp"
#include "greentrain/error.hpp"
#include "greentrain/outputs/json.hpp"

namespace greentrain::cli {

namespace {

void write_report(const std::string& path, const std::string& text) {
  std::error_code ec;
  write_file_atomically(path, text, ec);
  if (ec)
    throw error(errc::io_error, fmt::format("cannot write the report to {}: {}; check that its "
                                            "folder exists and is writable",
                                            path, ec.message()));
}

int run_report(std::span<const std::string_view> args) {
  Args parsed(args, {"run", "md", "html", "forecast", "budget", "project-budget"});
  if (parsed.positional().size() != 1)
    throw error(errc::invalid_argument,
                "give one emissions.csv, for example: greentrain report emissions.csv --html "
                "report.html");
  RunResult run = read_run(parsed.positional()[0], parsed.get_or("run", ""));
  ReportExtras extras;
  if (auto forecast = parsed.get("forecast")) extras.prediction = read_prediction(*forecast);
  if (parsed.get("budget")) extras.budget = GramsCo2e{parsed.number("budget", 0) * 1000.0};
  if (parsed.get("project-budget")) {
    extras.project_budget = GramsCo2e{parsed.number("project-budget", 0) * 1000.0};
    extras.project_earlier =
        project_emissions(parsed.positional()[0], run.info.project, run.info.run_id);
  }
  auto md = parsed.get("md");
  auto html = parsed.get("html");
  if (md) write_report(*md, markdown_report(run, extras));
  if (html) write_report(*html, html_report(run, extras));
  if (!md && !html) fmt::print("{}", markdown_report(run, extras));
  return 0;
}

const Registration registration{{
    "report",
    "the emissions report of a run (Markdown and self-contained HTML) from its emissions.csv",
    "greentrain report EMISSIONS.CSV [--run ID] [--md FILE] [--html FILE] [--forecast FILE]\n"
    "                         [--budget KG] [--project-budget KG]\n"
    "  --run    the run to report (default: the last one in the file)\n"
    "  --md     write the Markdown report to FILE\n"
    "  --html   write the HTML report, charts included, to FILE\n"
    "  --forecast  the trainer's train-summary.json: its forecast beside the actual figures\n"
    "  --budget    the run's carbon budget in kg CO2e: the share of it used\n"
    "  --project-budget  the project's budget in kg CO2e, spent by all its runs in the file\n"
    "  With neither --md nor --html the Markdown report is printed. emissions_tasks.csv and\n"
    "  greentrain-<run>.json beside the CSV add the tasks, the provenance and the charts.",
    run_report,
}};

}  // namespace

}  // namespace greentrain::cli
