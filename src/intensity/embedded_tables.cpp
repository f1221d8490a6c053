#include "intensity/embedded_tables.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include "greentrain/error.hpp"
#include "greentrain_embedded_data.hpp"
#include "core/csv_reader.hpp"

namespace greentrain::detail {

namespace {

[[noreturn]] void malformed(std::string_view table, std::string_view what) {
  throw error(errc::malformed_data, fmt::format("embedded table {}: {}", table, what));
}

simdjson::dom::object parse_object(simdjson::dom::parser& parser, std::string_view text,
                                   std::string_view table) {
  simdjson::dom::object root;
  if (parser.parse(simdjson::padded_string(text)).get_object().get(root))
    malformed(table, "not a JSON object");
  return root;
}

std::map<std::string, ZoneFigure, Table> parse_zones(std::string_view text, int year,
                                                     std::string_view table) {
  simdjson::dom::parser parser;
  std::map<std::string, ZoneFigure, Table> zones;
  for (auto [key, value] : parse_object(parser, text, table)) {
    ZoneFigure zone;
    zone.year = year;
    std::string_view name;
    if (!value["zone"]["displayName"].get(name) || !value["zone"]["zoneName"].get(name))
      zone.name = name;
    double intensity = 0;
    if (value["carbonIntensity"]["value"].get(intensity))
      malformed(table, fmt::format("zone {} has no carbonIntensity.value", std::string_view(key)));
    zone.intensity_g_per_kwh = intensity;
    double cfe = 0;
    if (!value["carbonFreeEnergy"]["value"].get(cfe)) zone.carbon_free_pct = cfe;
    zones.emplace(std::string(key), std::move(zone));
  }
  return zones;
}

std::map<std::string, CountryFigure, Table> parse_countries(std::string_view text) {
  constexpr std::string_view table = "ember_countries";
  simdjson::dom::parser parser;
  std::map<std::string, CountryFigure, Table> countries;
  for (auto [key, value] : parse_object(parser, text, table)) {
    CountryFigure country;
    std::string_view s;
    if (!value["country_code"].get(s)) country.iso3 = s;
    if (!value["country_or_region"].get(s)) country.name = s;
    int64_t year = 0;
    double intensity = 0;
    if (value["year"].get(year) || value["emissions_intensity_gco2_per_kwh"].get(intensity))
      malformed(table, fmt::format("entry {} lacks year or intensity", std::string_view(key)));
    country.year = static_cast<int>(year);
    country.intensity_g_per_kwh = intensity;
    countries.emplace(std::string(key), std::move(country));
  }
  return countries;
}

// Rows after the header, each with at least `columns` fields.
std::vector<CsvRow> body_rows(std::string_view text, std::size_t columns, std::string_view table) {
  auto rows = parse_csv(text);
  if (rows.empty()) malformed(table, "empty");
  rows.erase(rows.begin());
  for (const auto& row : rows)
    if (row.fields.size() < columns)
      malformed(table, fmt::format("line {} has {} fields, expected {}", row.line,
                                   row.fields.size(), columns));
  return rows;
}

double number_field(const CsvRow& row, std::size_t column, std::string_view table) {
  auto value = parse_number(row.fields[column]);
  if (!value)
    malformed(table, fmt::format("line {}: '{}' is not a number", row.line, row.fields[column]));
  return *value;
}

EmbeddedTables parse_all() {
  EmbeddedTables t;
  t.zones_2025 = parse_zones(data::em_zones_2025(), 2025, "em_zones_2025");
  t.zones_2024 = parse_zones(data::em_zones_2024(), 2024, "em_zones_2024");
  t.countries = parse_countries(data::ember_countries());
  for (const auto& row : body_rows(data::gcp_regions_2024(), 4, "gcp_regions_2024")) {
    t.google_regions[row.fields[0]] = {row.fields[1], number_field(row, 2, "gcp_regions_2024"),
                                       number_field(row, 3, "gcp_regions_2024")};
  }
  for (const auto& row : body_rows(data::datacenter_zones(), 7, "datacenter_zones")) {
    t.sites.push_back({row.fields[0], row.fields[1], row.fields[2],
                       number_field(row, 3, "datacenter_zones"),
                       number_field(row, 4, "datacenter_zones"), row.fields[5], row.fields[6]});
  }
  for (const auto& row : body_rows(data::country_codes(), 3, "country_codes")) {
    t.by_alpha2[row.fields[1]] = t.country_codes.size();
    t.by_alpha3[row.fields[2]] = t.country_codes.size();
    t.country_codes.push_back({row.fields[0], row.fields[1], row.fields[2]});
  }
  return t;
}

}  // namespace

const ZoneFigure* find_zone(const EmbeddedTables& tables, std::string_view key) {
  if (auto it = tables.zones_2025.find(key); it != tables.zones_2025.end()) return &it->second;
  if (auto it = tables.zones_2024.find(key); it != tables.zones_2024.end()) return &it->second;
  return nullptr;
}

const EmbeddedTables& embedded_tables() {
  static const EmbeddedTables tables = parse_all();
  return tables;
}

}  // namespace greentrain::detail
