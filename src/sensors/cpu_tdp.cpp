#include "greentrain/sensors/cpu_tdp.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <regex>

#include "greentrain_embedded_data.hpp"
#include "sensors/kept_file.hpp"

namespace greentrain::sensors {

namespace {

// Splits one CSV record into its fields; a quoted field may hold commas and "" for a quote.
std::vector<std::string> csv_fields(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

std::optional<double> parse_watts(std::string_view text) {
  text = detail::trim(text);
  double value = 0.0;
  auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (err != std::errc{} || end != text.data() + text.size() || !(value > 0.0)) return std::nullopt;
  return value;
}

// Lower-case alphanumeric words, as CodeCarbon's fuzzy matcher sees them.
std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      out.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

bool has_digit(const std::string& word) {
  return std::any_of(word.begin(), word.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

TdpTable parse_tdp_table(std::string_view csv) {
  TdpTable table;
  bool header = true;
  while (!csv.empty()) {
    auto end = csv.find('\n');
    std::string_view line = csv.substr(0, end);
    csv.remove_prefix(end == std::string_view::npos ? csv.size() : end + 1);
    if (header) {
      header = false;
      continue;
    }
    if (detail::trim(line).empty()) continue;
    auto fields = csv_fields(detail::trim(line));
    std::optional<double> watts = fields.size() == 2 ? parse_watts(fields[1]) : std::nullopt;
    std::string name{detail::trim(fields[0])};
    if (!watts || name.empty()) {
      ++table.malformed_rows;
      continue;
    }
    table.rows.push_back({std::move(name), *watts});
  }
  return table;
}

const TdpTable& embedded_tdp_table() {
  static const TdpTable table = parse_tdp_table(::greentrain::detail::data::cpu_tdp());
  return table;
}

std::string normalise_cpu_name(std::string_view model_name) {
  static const std::regex noise(
      R"(\((R|r|TM|tm)\)|\bCPU\b|@\s*[0-9.]+\s*[GM]Hz|\bProcessor\b|\b[0-9]+-Core\b)");
  static const std::regex spaces(R"(\s+)");
  std::string text = std::regex_replace(std::string(model_name), noise, " ");
  text = std::regex_replace(text, spaces, " ");
  return std::string(detail::trim(text));
}

std::optional<TdpRow> match_cpu(const TdpTable& table, std::string_view model_name) {
  std::string normalised = normalise_cpu_name(model_name);
  auto cpu_words = words(normalised);
  std::sort(cpu_words.begin(), cpu_words.end());
  std::vector<const TdpRow*> best;
  std::size_t best_size = 0;
  for (const auto& row : table.rows) {
    auto row_words = words(row.name);
    if (row_words.empty() || std::none_of(row_words.begin(), row_words.end(), has_digit)) continue;
    bool all_present = std::all_of(row_words.begin(), row_words.end(), [&](const std::string& w) {
      return std::binary_search(cpu_words.begin(), cpu_words.end(), w);
    });
    if (!all_present || row_words.size() < best_size) continue;
    if (row_words.size() > best_size) best.clear();
    best_size = row_words.size();
    best.push_back(&row);
  }
  if (best.empty()) return std::nullopt;
  bool agree = std::all_of(best.begin(), best.end(),
                           [&](const TdpRow* row) { return row->tdp_w == best.front()->tdp_w; });
  if (!agree) return std::nullopt;
  return *best.front();
}

std::string CpuTdp::describe() const {
  if (matched) {
    std::string per_socket = sockets > 1 ? fmt::format(" x {} sockets", sockets) : "";
    return fmt::format("{:.1f} W TDP ['{}' {:.1f} W in the TDP table{}]", tdp_w, matched->name,
                       matched->tdp_w, per_socket);
  }
  return fmt::format("{:.1f} W TDP [default: {:g} W x {} threads, CPU '{}' not in table]", tdp_w,
                     default_watts_per_thread, threads, cpu_model);
}

CpuTdp lookup_cpu_tdp(std::string_view cpu_model, int threads, int sockets, const TdpTable& table) {
  CpuTdp tdp;
  tdp.cpu_model = std::string(cpu_model);
  tdp.threads = std::max(threads, 1);
  tdp.sockets = std::max(sockets, 1);
  tdp.matched = match_cpu(table, cpu_model);
  tdp.tdp_w = tdp.matched ? tdp.matched->tdp_w * tdp.sockets
                          : default_watts_per_thread * tdp.threads;
  return tdp;
}

}  // namespace greentrain::sensors
