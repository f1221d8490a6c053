#include "intensity/cache_file.hpp"

#include <fmt/format.h>
#include <simdjson.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/bounded_file.hpp"
#include "core/json_figures.hpp"
#include "greentrain/error.hpp"
#include "greentrain/intensity/intensity_range.hpp"
#include "core/text.hpp"

namespace greentrain::detail {
namespace {

int64_t epoch_s(SystemTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

SystemTime from_epoch_s(int64_t s) { return SystemTime(std::chrono::seconds(s)); }

std::optional<Basis> parse_basis(std::string_view text) {
  for (auto b : {Basis::measured, Basis::modelled, Basis::default_table, Basis::user}) {
    if (to_string(b) == text) return b;
  }
  return std::nullopt;
}

}  // namespace

void write_cache_file(const std::filesystem::path& file, const std::vector<CachedReading>& entries,
                      std::error_code& ec) {
  using Json = nlohmann::ordered_json;
  // One entry a line, as before, so that the file stays readable in an editor.
  std::string text = "[\n";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    const auto& r = e.reading;
    Json entry = {{"location", e.location},
                  {"intensity", json_figure<Json>(r.intensity.value)},
                  {"signal", to_string(r.signal)},
                  {"basis", to_string(r.provenance.basis)},
                  {"source", r.provenance.source},
                  {"band_low", json_figure<Json>(r.provenance.band_low)},
                  {"band_high", json_figure<Json>(r.provenance.band_high)},
                  {"degraded", r.provenance.degraded},
                  {"valid_from", epoch_s(r.valid_from)},
                  {"valid_until", epoch_s(r.valid_until)},
                  {"fetched", epoch_s(e.fetched)}};
    text += json_text(entry) + (i + 1 < entries.size() ? ",\n" : "\n");
  }
  text += "]\n";
  auto temporary = file;
  temporary += fmt::format(".tmp{}", ::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      ec = errc::io_error;
      return;
    }
  }
  std::filesystem::rename(temporary, file, ec);
  if (ec) std::filesystem::remove(temporary, ec), ec = errc::io_error;
}

std::vector<CachedReading> read_cache_file(const std::filesystem::path& file, std::error_code& ec) {
  std::vector<CachedReading> out;
  simdjson::dom::parser parser;
  simdjson::dom::array items;
  simdjson::padded_string text;
  try {
    text = simdjson::padded_string(
        detail::read_regular_file(file, detail::max_cache_bytes, "an intensity cache file"));
  } catch (const error& e) {
    ec = e.code();
    return out;
  }
  if (parser.parse(text).get(items)) {
    ec = errc::malformed_data;
    return out;
  }
  for (auto item : items) {
    CachedReading e;
    std::string_view location, signal, basis, source;
    double intensity = 0, band_low = 1, band_high = 1;
    bool degraded = false;
    int64_t from = 0, until = 0, fetched = 0;
    if (item["location"].get(location) || item["intensity"].get(intensity) ||
        item["signal"].get(signal) || item["basis"].get(basis) || item["source"].get(source) ||
        item["band_low"].get(band_low) || item["band_high"].get(band_high) ||
        item["degraded"].get(degraded) || item["valid_from"].get(from) ||
        item["valid_until"].get(until) || item["fetched"].get(fetched)) {
      continue;
    }
    auto parsed_basis = parse_basis(basis);
    if (!parsed_basis) continue;
    e.location = location;
    e.reading.intensity = GramsPerKwh{intensity};
    e.reading.signal = signal == "marginal" ? Signal::marginal : Signal::average;
    e.reading.provenance = {*parsed_basis, std::string(source), band_low, band_high, degraded};
    e.reading.valid_from = from_epoch_s(from);
    e.reading.valid_until = from_epoch_s(until);
    e.fetched = from_epoch_s(fetched);
    if (!intensity_fault(e.reading).empty()) continue;  // an edited or damaged entry
    out.push_back(std::move(e));
  }
  ec.clear();
  return out;
}

}  // namespace greentrain::detail
