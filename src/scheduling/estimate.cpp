#include "greentrain/scheduling/estimate.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/bounded_file.hpp"
#include "greentrain/error.hpp"
#include "core/csv_reader.hpp"

namespace greentrain::scheduling {

Watts power_from_emissions_csv(const std::filesystem::path& file) {
  auto rows = detail::parse_csv(detail::read_regular_file(file, detail::max_emissions_csv_bytes,
                                                          "the emissions.csv of an earlier run"));
  auto column = [&](std::string_view name) -> std::size_t {
    if (rows.empty()) return 0;
    const auto& header = rows.front().fields;
    auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end())
      throw error(
          errc::malformed_data,
          fmt::format("{} has no '{}' column; is it an emissions.csv?", file.string(), name));
    return static_cast<std::size_t>(it - header.begin());
  };
  if (rows.size() < 2)
    throw error(errc::malformed_data, fmt::format("{} holds no run yet", file.string()));
  std::size_t duration_at = column("duration");
  std::size_t energy_at = column("energy_consumed");
  detail::require_whole_rows(rows, file.string());
  const auto& last = rows.back();
  auto field = [&](std::size_t at) {
    return at < last.fields.size() ? detail::parse_number(last.fields[at]) : std::nullopt;
  };
  auto duration_s = field(duration_at);
  auto energy_kwh = field(energy_at);
  if (!duration_s || !energy_kwh || *duration_s <= 0 || *energy_kwh < 0)
    throw error(errc::malformed_data,
                fmt::format("{}:{}: the last run needs a duration > 0 s and energy_consumed >= 0 "
                            "kWh",
                            file.string(), last.line));
  return Watts{*energy_kwh * joules_per_kwh / *duration_s};
}

}  // namespace greentrain::scheduling
