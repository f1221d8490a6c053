#pragma once
// The post-training report: Markdown to paste into a model card, and one self-contained HTML page
// with its charts drawn as inline SVG. Every figure carries its provenance and, when modelled,
// its band.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "greentrain/budget.hpp"
#include "greentrain/emissions.hpp"
#include "greentrain/outputs/output.hpp"

namespace greentrain {

// What was predicted before the run ended, to set beside what happened.
struct Prediction {
  std::string made;  // "after epoch 1 of 10"
  Seconds duration{};
  std::optional<KilowattHours> energy;  // IT energy, before PUE
  std::optional<GramsCo2e> emissions;
};

struct ReportExtras {
  std::optional<Prediction> prediction;
  std::optional<GramsCo2e> budget;          // the carbon budget of the run
  std::optional<GramsCo2e> project_budget;  // the project's, spent by its earlier runs and this one
  GramsCo2e project_earlier{};              // what the project's earlier runs emitted
};

// A familiar quantity with the same emissions, with the constant used and where it comes from.
struct Equivalent {
  std::string what;  // "km driven by an average petrol passenger car"
  double amount = 0.0;
  std::string constant;  // "248.5 g CO2 per km (400 g per mile)"
  std::string source;
};

std::vector<Equivalent> equivalents(GramsCo2e emissions);

std::string markdown_report(const RunResult& run, const ReportExtras& extras = {});
std::string html_report(const RunResult& run, const ReportExtras& extras = {});

// Reads a run back from the tracker's files: `emissions.csv`, `emissions_tasks.csv` beside it, and
// `greentrain-<run_id>.json` there when present, for the provenance and the time series (the CSV
// files record neither). The last run in the file when `run_id` is empty. Throws greentrain::error
// naming the file and what was wrong.
RunResult read_run(const std::filesystem::path& emissions_csv, std::string_view run_id = {});

// The forecast the trainer wrote into its train-summary.json ("forecast_after_epoch_1"); nullopt
// when it made none. Throws greentrain::error when the file cannot be read or parsed.
std::optional<Prediction> read_prediction(const std::filesystem::path& train_summary);

// Writes `<directory>/greentrain-report-<run_id>.md` and `.html` whenever the tracker flushes or
// stops, so the last write holds the whole run.
class ReportOutput final : public Output {
 public:
  explicit ReportOutput(std::filesystem::path directory, ReportExtras extras = {});

  std::string_view name() const noexcept override { return "report"; }

 protected:
  void write_run(const RunResult& run, std::span<const Emissions> new_tasks,
                 std::error_code& ec) override;

 private:
  std::filesystem::path directory_;
  ReportExtras extras_;
};

}  // namespace greentrain
