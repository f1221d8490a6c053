#include <fmt/format.h>

#include <fstream>
#include <map>
#include <sstream>

#include "greentrain/budget.hpp"
#include "greentrain/error.hpp"
#include "intensity/csv_reader.hpp"

namespace greentrain {

namespace {

std::size_t column(const detail::CsvRow& header, std::string_view name,
                   const std::filesystem::path& file) {
  for (std::size_t i = 0; i < header.fields.size(); ++i)
    if (header.fields[i] == name) return i;
  throw error(errc::malformed_data,
              fmt::format("{} has no '{}' column, so the project's earlier emissions cannot be "
                          "read; point the tracker at an emissions.csv it (or CodeCarbon) wrote",
                          file.string(), name));
}

}  // namespace

GramsCo2e project_emissions(const std::filesystem::path& emissions_csv, std::string_view project,
                            std::string_view exclude_run) {
  std::ifstream in(emissions_csv, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(emissions_csv, ec) && !ec) return GramsCo2e{0.0};
    throw error(errc::io_error,
                fmt::format("cannot read {}, which holds the project's earlier emissions; check "
                            "its permissions",
                            emissions_csv.string()));
  }
  std::stringstream text;
  text << in.rdbuf();
  auto rows = detail::parse_csv(text.str());
  if (rows.empty()) return GramsCo2e{0.0};
  std::size_t project_at = column(rows[0], "project_name", emissions_csv);
  std::size_t run_at = column(rows[0], "run_id", emissions_csv);
  std::size_t emissions_at = column(rows[0], "emissions", emissions_csv);
  // Each flush appends the run's figures so far: a run's last row holds its total.
  std::map<std::string, double, std::less<>> last_by_run;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& fields = rows[r].fields;
    if (fields.size() != rows[0].fields.size())
      throw error(errc::malformed_data,
                  fmt::format("{} line {}: {} fields where the header has {}; repair or remove "
                              "that line (earlier rows are intact)",
                              emissions_csv.string(), rows[r].line, fields.size(),
                              rows[0].fields.size()));
    if (fields[project_at] != project || fields[run_at] == exclude_run) continue;
    auto kg = detail::parse_number(fields[emissions_at]);
    if (!kg || *kg < 0.0)
      throw error(errc::malformed_data,
                  fmt::format("{} line {}: emissions '{}' is not a number of kg CO2e; repair or "
                              "remove that line",
                              emissions_csv.string(), rows[r].line, fields[emissions_at]));
    last_by_run[fields[run_at]] = *kg;
  }
  double kg = 0.0;
  for (const auto& [run, value] : last_by_run) kg += value;
  return GramsCo2e{kg * 1000.0};
}

}  // namespace greentrain
