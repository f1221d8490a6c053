#include <fmt/format.h>

#include <map>

#include "core/bounded_file.hpp"
#include "greentrain/budget.hpp"
#include "greentrain/error.hpp"
#include "greentrain/outputs/csv.hpp"
#include "core/csv_reader.hpp"

namespace greentrain {

namespace {

using LastByRun = std::map<std::string, double, std::less<>>;

std::size_t column(const detail::CsvRow& header, std::string_view name,
                   const std::filesystem::path& file) {
  for (std::size_t i = 0; i < header.fields.size(); ++i)
    if (header.fields[i] == name) return i;
  throw error(errc::malformed_data,
              fmt::format("{} has no '{}' column, so the project's earlier emissions cannot be "
                          "read; point the tracker at an emissions.csv it (or CodeCarbon) wrote",
                          file.string(), name));
}

// Each flush appends the run's figures so far: a run's last row holds its total.
void add_runs(const std::filesystem::path& file, std::string_view project,
              std::string_view exclude_run, LastByRun& last_by_run) {
  auto rows = detail::parse_csv(
      detail::read_regular_file(file, detail::max_emissions_csv_bytes, "an emissions.csv"));
  if (rows.empty()) return;
  detail::require_whole_rows(rows, file.string());
  std::size_t project_at = column(rows[0], "project_name", file);
  std::size_t run_at = column(rows[0], "run_id", file);
  std::size_t emissions_at = column(rows[0], "emissions", file);
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& fields = rows[r].fields;
    if (fields[project_at] != project || fields[run_at] == exclude_run) continue;
    auto kg = detail::parse_number(fields[emissions_at]);
    if (!kg || *kg < 0.0)
      throw error(errc::malformed_data,
                  fmt::format("{} line {}: emissions '{}' is not a number of kg CO2e; repair or "
                              "remove that line",
                              file.string(), rows[r].line, fields[emissions_at]));
    last_by_run[fields[run_at]] = *kg;
  }
}

}  // namespace

GramsCo2e project_emissions(const std::filesystem::path& emissions_csv, std::string_view project,
                            std::string_view exclude_run) {
  // The backups hold the runs from before a header change (CodeCarbon's file, an older version's):
  // oldest first, so a run found in a backup and in the file counts with its latest total.
  LastByRun last_by_run;
  for (const auto& backup : csv_backups(emissions_csv))
    add_runs(backup, project, exclude_run, last_by_run);
  std::error_code ec;
  if (std::filesystem::exists(emissions_csv, ec) || ec)
    add_runs(emissions_csv, project, exclude_run, last_by_run);
  double kg = 0.0;
  for (const auto& [run, value] : last_by_run) kg += value;
  return GramsCo2e{kg * 1000.0};
}

}  // namespace greentrain
