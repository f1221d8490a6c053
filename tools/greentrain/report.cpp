// greentrain report: the emissions report of a finished run, from the files the tracker wrote.
#include "greentrain/report.hpp"

#include <fmt/format.h>

#include <memory>

#include "command.hpp"
#include "greentrain/error.hpp"
#include "greentrain/outputs/json.hpp"
#include "redacted_output.hpp"

namespace greentrain::cli {

namespace {

void write_report(const std::string& path, const std::string& text) {
  std::error_code ec;
  write_file_atomically(path, text, ec);
  if (ec)
    throw error(errc::io_error, fmt::format("cannot write the report to {}: {}; check that its "
                                            "folder exists and is writable",
                                            path, ec.message()));
  cli::print(stderr, "wrote {}\n", path);
}

struct ReportFlags {
  std::string csv, run;
  std::optional<std::string> md, html, forecast;
  std::optional<double> budget_kg, project_budget_kg;
};

int run_report(const ReportFlags& flags) {
  RunResult run = read_run(flags.csv, flags.run);
  ReportExtras extras;
  if (flags.forecast) extras.prediction = read_prediction(*flags.forecast);
  if (flags.budget_kg) extras.budget = GramsCo2e{*flags.budget_kg * 1000.0};
  if (flags.project_budget_kg) {
    extras.project_budget = GramsCo2e{*flags.project_budget_kg * 1000.0};
    extras.project_earlier = project_emissions(flags.csv, run.info.project, run.info.run_id);
  }
  if (flags.md) write_report(*flags.md, markdown_report(run, extras));
  if (flags.html) write_report(*flags.html, html_report(run, extras));
  if (!flags.md && !flags.html) cli::print("{}", markdown_report(run, extras));
  return 0;
}

Action define(Options& options) {
  auto flags = std::make_shared<ReportFlags>();
  options.positional("emissions_csv", flags->csv, "the emissions.csv the tracker wrote");
  options.text("--run", flags->run, "ID", "the run to report", "the last one in the file");
  options.text("--md", flags->md, "FILE", "write the Markdown report to FILE",
               "print it, unless --html");
  options.text("--html", flags->html, "FILE", "write the HTML report, charts included, to FILE");
  options.text("--forecast", flags->forecast, "FILE",
               "the trainer's train-summary.json: its forecast beside the "
               "actual figures");
  options.number("--budget", flags->budget_kg, {.min = 0, .above = true}, "KG",
                 "the run's carbon budget in kg CO2e: the share of it used", "none");
  options.number("--project-budget", flags->project_budget_kg, {.min = 0, .above = true}, "KG",
                 "the project's budget in kg CO2e, spent by all its runs in the file", "none");
  options.footer(
      "emissions_tasks.csv and greentrain-<run>.json beside the CSV "
      "add the tasks, the provenance "
      "and the charts. Example: greentrain report emissions.csv "
      "--html report.html");
  return [flags, &options] {
    if (!options.given("emissions_csv"))
      throw error(errc::invalid_argument,
                  "give one emissions.csv, for example: greentrain report "
                  "emissions.csv --html "
                  "report.html");
    return run_report(*flags);
  };
}

const Registration registration{{
    .name = "report",
    .summary = "the emissions report of a run (Markdown and self-contained "
               "HTML) from its emissions.csv",
    .define = define,
}};

}  // namespace

}  // namespace greentrain::cli
