#include "greentrain/sensors/cpu_tdp.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

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

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Calls visit(word) for each lower-case alphanumeric word, as CodeCarbon's fuzzy matcher sees
// them, without allocating; stops early when visit returns false. Words longer than the buffer
// are passed truncated with a trailing '~' so they match nothing.
template <class Visit>
bool for_each_word(std::string_view text, Visit visit) {
  char word[48];
  std::size_t length = 0;
  auto flush = [&]() {
    if (length == 0) return true;
    std::string_view w(word, length);
    length = 0;
    return visit(w);
  };
  for (char c : text) {
    if (!is_word_char(c)) {
      if (!flush()) return false;
      continue;
    }
    if (length < sizeof word) word[length++] = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else word[sizeof word - 1] = '~';
  }
  return flush();
}

bool has_digit(std::string_view word) {
  return std::any_of(word.begin(), word.end(), [](unsigned char c) { return std::isdigit(c); });
}

bool is_core_count(std::string_view token) {  // "8-Core", "64-Core"
  auto dash = token.find("-Core");
  return dash != std::string_view::npos && dash > 0 && dash + 5 == token.size() &&
         std::all_of(token.begin(), token.begin() + static_cast<std::ptrdiff_t>(dash),
                     [](unsigned char c) { return std::isdigit(c); });
}

constexpr std::string_view trademarks[] = {"(R)", "(r)", "(TM)", "(tm)"};

bool is_clock(std::string_view token) { return token.ends_with("GHz") || token.ends_with("MHz"); }

}  // namespace

TdpTable parse_tdp_table(std::string_view csv) {
  TdpTable table;
  table.rows.reserve(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')));
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
    line = detail::trim(line);
    std::string_view name_text, watts_text;
    std::vector<std::string> fields;
    if (line.find('"') == std::string_view::npos) {
      auto comma = line.find(',');
      if (comma != std::string_view::npos && line.find(',', comma + 1) == std::string_view::npos) {
        name_text = line.substr(0, comma);
        watts_text = line.substr(comma + 1);
      }
    } else if (fields = csv_fields(line); fields.size() == 2) {
      name_text = fields[0];
      watts_text = fields[1];
    }
    auto watts = parse_watts(watts_text);
    name_text = detail::trim(name_text);
    if (!watts || name_text.empty()) {
      ++table.malformed_rows;
      continue;
    }
    table.rows.push_back({std::string(name_text), *watts});
  }
  return table;
}

const TdpTable& embedded_tdp_table() {
  static const TdpTable table = parse_tdp_table(::greentrain::detail::data::cpu_tdp());
  return table;
}

std::string normalise_cpu_name(std::string_view model_name) {
  std::string text;
  text.reserve(model_name.size());
  for (std::size_t i = 0; i < model_name.size();) {
    std::string_view rest = model_name.substr(i);
    auto mark = std::find_if(std::begin(trademarks), std::end(trademarks),
                             [&](std::string_view m) { return rest.starts_with(m); });
    if (mark != std::end(trademarks)) {
      text += ' ';
      i += mark->size();
    } else {
      text += model_name[i++];
    }
  }
  std::string out;
  bool after_at = false;  // "@ 2.50GHz": the clock follows the '@'
  std::string_view rest = text;
  while (!rest.empty()) {
    auto start = rest.find_first_not_of(" \t");
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    auto token = rest.substr(0, rest.find_first_of(" \t"));
    rest.remove_prefix(token.size());
    bool clock = after_at && is_clock(token);
    after_at = token == "@";
    if (after_at || clock || token == "CPU" || token == "Processor" || is_core_count(token)) continue;
    if (token.starts_with('@') && is_clock(token)) continue;  // "@2.50GHz"
    if (!out.empty()) out += ' ';
    out += token;
  }
  return out;
}

std::optional<TdpRow> match_cpu(const TdpTable& table, std::string_view model_name) {
  std::vector<std::string> cpu_words;
  for_each_word(normalise_cpu_name(model_name), [&](std::string_view w) {
    cpu_words.emplace_back(w);
    return true;
  });
  std::sort(cpu_words.begin(), cpu_words.end());
  std::vector<const TdpRow*> best;
  std::size_t best_size = 0;
  for (const auto& row : table.rows) {
    std::size_t size = 0;
    bool numbered = false;
    bool all_present = for_each_word(row.name, [&](std::string_view w) {
      ++size;
      numbered = numbered || has_digit(w);
      return std::binary_search(cpu_words.begin(), cpu_words.end(), w, std::less<>{});
    });
    if (!all_present || !numbered || size < best_size) continue;
    if (size > best_size) best.clear();
    best_size = size;
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
  return fmt::format("{:.1f} W TDP [default: {:g} W x {} threads, CPU '{}' not in table{}]", tdp_w,
                     default_watts_per_thread, threads, cpu_model,
                     identified_as.empty() ? "" : "; " + identified_as);
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
