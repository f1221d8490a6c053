#include "greentrain/intensity/electricitymaps.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "greentrain/config.hpp"
#include "greentrain/error.hpp"
#include "greentrain/intensity/time_text.hpp"
#include "grid_json.hpp"
#include "http_client.hpp"
#include "intensity/series.hpp"

namespace greentrain {

using detail::HttpRequest;
using detail::HttpResponse;

ElectricityMapsOptions ElectricityMapsOptions::from_environment() {
  ElectricityMapsOptions options;
  // The variable, else a greentrain.toml only its owner can read (Config refuses any other).
  options.api_key = Config::load().text("electricitymaps_api_key").value_or("");
  return options;
}

std::optional<GridQuery> GridQuery::from(const Location& location) {
  switch (location.kind) {
    case Location::Kind::zone:
      if (!location.key.empty()) return zone_key(location.key);
      break;
    case Location::Kind::country:
      if (location.key.size() == 2) return zone_key(location.key);
      break;
    case Location::Kind::cloud_region:
      if (!location.provider.empty() && !location.key.empty()) {
        return data_center(location.provider, location.key);
      }
      break;
  }
  return std::nullopt;
}

std::string to_string(const GridQuery& query) {
  if (!query.zone.empty()) return "zone " + query.zone;
  if (query.latitude && query.longitude) {
    return fmt::format("point {},{}", *query.latitude, *query.longitude);
  }
  return "data center " + query.data_center_provider + ":" + query.data_center_region;
}

struct ElectricityMapsProvider::Impl {
  ElectricityMapsOptions options;
  detail::HttpClient http{options.http};
  mutable std::mutex mutex;
  // Free plans have no forecasts; once told, stop asking for every region.
  std::atomic<bool> forecast_not_in_plan{false};
  std::string last_refusal_body;  // the last 401/403 body, to tell a plan limit from a bad key
  struct Prefetched {
    IntensityReading reading;
    ProviderFault fault;
    SystemTime fetched{};
  };
  std::unordered_map<std::string, Prefetched> prefetched;  // by to_string(query)

  explicit Impl(ElectricityMapsOptions o) : options(std::move(o)) {
    detail::register_secret(options.api_key);
  }

  SystemTime now() const {
    return options.clock ? options.clock() : std::chrono::system_clock::now();
  }

  // "Latest" answers for times from two hours ago to one hour ahead.
  bool near_now(SystemTime at) const {
    auto current = now();
    return at >= current - std::chrono::hours(2) && at <= current + std::chrono::hours(1);
  }

  std::optional<Prefetched> prefetched_for(const GridQuery& query) {
    std::lock_guard lock(mutex);
    auto it = prefetched.find(to_string(query));
    if (it == prefetched.end() || now() - it->second.fetched > std::chrono::minutes(5)) {
      return std::nullopt;
    }
    return it->second;
  }

  HttpRequest request(std::string_view path, const GridQuery* query,
                      std::vector<std::pair<std::string, std::string>> params = {}) const {
    if (query) {
      std::vector<std::pair<std::string, std::string>> place;
      if (!query->zone.empty()) {
        place.emplace_back("zone", query->zone);
      } else if (query->latitude && query->longitude) {
        place.emplace_back("lat", fmt::format("{}", *query->latitude));
        place.emplace_back("lon", fmt::format("{}", *query->longitude));
      } else {
        place.emplace_back("dataCenterProvider", query->data_center_provider);
        place.emplace_back("dataCenterRegion", query->data_center_region);
      }
      // Never let the service guess our place from the caller's IP address.
      place.emplace_back("shouldUseFallbackCallerLookup", "false");
      params.insert(params.begin(), place.begin(), place.end());
    }
    auto base = std::string_view(options.base_url);
    while (base.ends_with('/')) base.remove_suffix(1);
    HttpRequest out{fmt::format("{}/{}", base, path), {}};
    if (!params.empty()) out.url += "?" + detail::query_string(params);
    if (!options.api_key.empty()) out.headers.emplace_back("auth-token", options.api_key);
    return out;
  }

  ProviderFault failure(std::error_code code, std::string text) const {
    return {code, detail::redact(std::move(text), {options.api_key})};
  }

  // The reply's own words (a zone name, an estimation method), scrubbed and cut short.
  std::string reply_text(std::string_view text, std::size_t max_bytes = 80) const {
    return detail::reply_text(text, {options.api_key}, max_bytes);
  }

  // Data calls need a key: without one, say so at once instead of asking and waiting.
  bool has_key(ProviderFault& fault) const {
    if (!options.api_key.empty()) return true;
    reject(
        errc::unauthorized,
        "no API key: ELECTRICITYMAPS_API_KEY is not set, so no live figure was asked for; set it "
        "(or ElectricityMapsOptions::api_key) to a key from https://portal.electricitymaps.com",
        fault);
    return false;
  }

  std::string why_refused(const HttpResponse& response, const std::string& place) const {
    if (options.api_key.empty()) {
      return "no API key: set ELECTRICITYMAPS_API_KEY or ElectricityMapsOptions::api_key";
    }
    if (response.body.find("Token unauthorized for zoneKey") != std::string::npos) {
      return fmt::format("the API key may not read {}: ask Electricity Maps for access to it",
                         place);
    }
    if (response.body.find("Endpoint not available") != std::string::npos) {
      return "this endpoint is not in the API key's plan";
    }
    return "the API key was refused: check ELECTRICITYMAPS_API_KEY (bursts of requests are "
           "also answered 401; retry later)";
  }

  // True when the response can be parsed; else sets the fault and what to tell the user.
  bool accept(const HttpResponse& response, const std::string& place, ProviderFault& fault) {
    if (!response.error) return true;
    auto server_says = reply_text(detail::error_message(response.body), 300);
    std::string text = "Electricity Maps: " + response.detail;
    if (response.error == errc::unauthorized) {
      {
        std::lock_guard lock(mutex);
        last_refusal_body = response.body;
      }
      text += "; " + why_refused(response, place);
    } else if (response.status == 400) {
      text += fmt::format("; it does not know {}", place);
    }
    if (!server_says.empty()) text += fmt::format(" (the service says: {})", server_says);
    fault = failure(response.error, std::move(text));
    return false;
  }

  void reject(errc code, std::string text, ProviderFault& fault) const {
    fault = failure(code, "Electricity Maps: " + std::move(text));
  }

  IntensityReading reading(const detail::EmRecord& record, std::string_view endpoint) const {
    IntensityReading out;
    out.intensity = GramsPerKwh{*record.carbon_intensity};
    out.signal = Signal::average;
    out.provenance.basis = Basis::measured;
    out.provenance.source = fmt::format(
        "Electricity Maps {}, zone {}, {}{}", endpoint, reply_text(record.zone, 32),
        format_utc_time(record.datetime),
        record.is_estimated ? fmt::format(", estimated ({})", reply_text(record.estimation_method))
                            : std::string());
    out.valid_from = record.datetime;
    out.valid_until = record.datetime + std::chrono::hours(1);
    return out;
  }

  IntensityReading latest(const GridQuery& query, const HttpResponse& response,
                          ProviderFault& fault) {
    auto place = to_string(query);
    if (!accept(response, place, fault)) return {};
    std::string why;
    auto record = detail::parse_em_latest(response.body, why);
    if (!record) {
      reject(errc::malformed_data, "carbon-intensity/latest: " + why, fault);
      return {};
    }
    if (!record->carbon_intensity) {
      reject(errc::malformed_data,
             fmt::format("no figure for {} at {} (carbonIntensity is null)", place,
                         format_utc_time(record->datetime)),
             fault);
      return {};
    }
    fault.clear();
    return reading(*record, "latest");
  }

  std::vector<IntensityPoint> series(const GridQuery& query, std::string_view path,
                                     std::string_view key,
                                     std::vector<std::pair<std::string, std::string>> params,
                                     ProviderFault& fault) {
    auto place = to_string(query);
    if (!has_key(fault)) return {};
    auto response = http.get(request(path, &query, std::move(params)));
    if (!accept(response, place, fault)) return {};
    std::string why;
    auto parsed = detail::parse_em_series(response.body, key, why);
    if (!parsed) {
      reject(errc::malformed_data, std::string(path) + ": " + why, fault);
      return {};
    }
    fault.clear();
    std::vector<detail::TimedFigure> figures;
    figures.reserve(parsed->records.size());
    for (const auto& r : parsed->records) figures.push_back({r.datetime, r.carbon_intensity});
    return detail::to_points(figures, std::chrono::hours(1));
  }
};

ElectricityMapsProvider::ElectricityMapsProvider(ElectricityMapsOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

ElectricityMapsProvider::~ElectricityMapsProvider() = default;

IntensityReading ElectricityMapsProvider::latest(const GridQuery& query, ProviderFault& fault) {
  if (!impl_->has_key(fault)) return {};
  auto response = impl_->http.get(impl_->request("carbon-intensity/latest", &query));
  return impl_->latest(query, response, fault);
}

std::vector<LatestResult> ElectricityMapsProvider::latest_many(std::span<const GridQuery> queries) {
  std::vector<LatestResult> out(queries.size());
  if (impl_->options.api_key.empty()) {
    for (std::size_t i = 0; i < queries.size(); ++i) {
      impl_->has_key(out[i].fault);
    }
    return out;
  }
  std::vector<HttpRequest> requests;
  requests.reserve(queries.size());
  for (const auto& q : queries) requests.push_back(impl_->request("carbon-intensity/latest", &q));
  auto responses = impl_->http.get_all(requests);
  for (std::size_t i = 0; i < queries.size(); ++i) {
    out[i].reading = impl_->latest(queries[i], responses[i], out[i].fault);
  }
  return out;
}

std::vector<IntensityPoint> ElectricityMapsProvider::history(const GridQuery& query,
                                                             ProviderFault& fault) {
  return impl_->series(query, "carbon-intensity/history", "history", {}, fault);
}

std::vector<IntensityPoint> ElectricityMapsProvider::past_range(const GridQuery& query,
                                                                SystemTime start, SystemTime end,
                                                                ProviderFault& fault) {
  return impl_->series(query, "carbon-intensity/past-range", "data",
                       {{"start", format_utc_time(start)}, {"end", format_utc_time(end)}}, fault);
}

Forecast ElectricityMapsProvider::forecast(const GridQuery& query, ProviderFault& fault) {
  if (impl_->forecast_not_in_plan) {
    impl_->reject(errc::unsupported, "carbon-intensity/forecast is not in the API key's plan",
                  fault);
    return {};
  }
  Forecast out;
  out.points = impl_->series(query, "carbon-intensity/forecast", "forecast", {}, fault);
  if (fault.code == errc::unauthorized) {
    std::lock_guard lock(impl_->mutex);
    if (impl_->last_refusal_body.find("Endpoint not available") != std::string::npos) {
      impl_->forecast_not_in_plan = true;
    }
  }
  if (fault) return {};
  out.signal = Signal::average;
  out.provenance = {Basis::modelled, "Electricity Maps forecast, " + to_string(query), 1.0, 1.0,
                    false};
  return out;
}

std::vector<ZoneInfo> ElectricityMapsProvider::zones(ProviderFault& fault) {
  auto response = impl_->http.get(impl_->request("zones", nullptr));
  if (!impl_->accept(response, "zones", fault)) return {};
  std::string why;
  auto zones = detail::parse_em_zones(response.body, why);
  if (!zones) {
    impl_->reject(errc::malformed_data, "zones: " + why, fault);
    return {};
  }
  fault.clear();
  for (auto& zone : *zones) {
    zone.key = impl_->reply_text(zone.key, 32);
    zone.zone_name = impl_->reply_text(zone.zone_name);
    zone.country_name = impl_->reply_text(zone.country_name);
    for (auto& path : zone.access) path = impl_->reply_text(path);
  }
  return std::move(*zones);
}

IntensityReading ElectricityMapsProvider::intensity_at(const Location& location, SystemTime at,
                                                       ProviderFault& fault) {
  auto query = GridQuery::from(location);
  if (!query) {
    fault = impl_->failure(errc::unknown_location,
                           fmt::format("Electricity Maps needs a zone key (FR, US-CAL-CISO), a "
                                       "two-letter country or a cloud region; {} is none of these",
                                       to_string(location)));
    return {};
  }
  auto now = impl_->now();
  if (impl_->near_now(at)) {
    if (auto early = impl_->prefetched_for(*query)) {
      fault = early->fault;
      return early->reading;
    }
    return latest(*query, fault);
  }
  std::vector<IntensityPoint> points;
  std::string_view endpoint;
  if (at > now) {
    points = forecast(*query, fault).points;
    endpoint = "forecast";
  } else if (at >= now - std::chrono::hours(24)) {
    points = history(*query, fault);
    endpoint = "history";
  } else {
    auto hour = std::chrono::floor<std::chrono::hours>(at);
    points = past_range(*query, hour, hour + std::chrono::hours(1), fault);
    endpoint = "past-range";
  }
  if (fault) return {};
  auto point = detail::point_covering(points, at);
  if (!point) {
    impl_->reject(errc::malformed_data,
                  fmt::format("carbon-intensity/{} has no figure for {} at {}", endpoint,
                              to_string(*query), format_utc_time(at)),
                  fault);
    return {};
  }
  IntensityReading out;
  out.intensity = point->intensity;
  out.signal = Signal::average;
  out.provenance = {endpoint == "forecast" ? Basis::modelled : Basis::measured,
                    fmt::format("Electricity Maps {}, {}, {}", endpoint, to_string(*query),
                                format_utc_time(point->time)),
                    1.0, 1.0, false};
  out.valid_from = point->time;
  out.valid_until = point->time + point->duration;
  return out;
}

Forecast ElectricityMapsProvider::forecast(const Location& location, SystemTime from, SystemTime to,
                                           ProviderFault& fault) {
  auto query = GridQuery::from(location);
  if (!query) {
    fault = fault_for(location, errc::unknown_location);
    return {};
  }
  auto result = forecast(*query, fault);
  if (fault) return {};
  result.points = detail::points_within(std::move(result.points), from, to);
  if (result.points.empty()) {
    impl_->reject(errc::unsupported,
                  fmt::format("the forecast for {} does not reach {} .. {}", to_string(*query),
                              format_utc_time(from), format_utc_time(to)),
                  fault);
    return {};
  }
  return result;
}

void ElectricityMapsProvider::prefetch(std::span<const Location> locations, SystemTime at) {
  if (!impl_->near_now(at)) return;
  std::vector<GridQuery> queries;
  std::unordered_set<std::string> asked;
  for (const auto& location : locations) {
    auto query = GridQuery::from(location);
    if (query && asked.insert(to_string(*query)).second) queries.push_back(std::move(*query));
  }
  auto results = latest_many(queries);
  auto fetched = impl_->now();
  std::lock_guard lock(impl_->mutex);
  for (std::size_t i = 0; i < queries.size(); ++i) {
    impl_->prefetched[to_string(queries[i])] = {std::move(results[i].reading),
                                                std::move(results[i].fault), fetched};
  }
}

}  // namespace greentrain
