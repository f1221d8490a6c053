#include "greentrain/intensity/watttime.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <mutex>

#include "greentrain/config.hpp"
#include "greentrain/error.hpp"
#include "greentrain/intensity/time_text.hpp"
#include "grid_json.hpp"
#include "http_client.hpp"
#include "intensity/series.hpp"

namespace greentrain {

using detail::HttpRequest;
using detail::HttpResponse;
using Params = std::vector<std::pair<std::string, std::string>>;

WattTimeOptions WattTimeOptions::from_environment() {
  WattTimeOptions options;
  // The variables, else a greentrain.toml only its owner can read (Config refuses any other).
  Config config = Config::load();
  options.username = config.text("watttime_username").value_or("");
  options.password = config.text("watttime_password").value_or("");
  return options;
}

namespace {

std::string base64(std::string_view text) {
  std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
  auto n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                           reinterpret_cast<const unsigned char*>(text.data()),
                           static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// WattTime's tokens last 30 minutes; renew a little early.
constexpr auto token_lifetime = std::chrono::minutes(28);

}  // namespace

struct WattTimeProvider::Impl {
  WattTimeOptions options;
  detail::HttpClient http{options.http};
  std::string basic_credentials = base64(options.username + ":" + options.password);
  mutable std::mutex mutex;
  std::string token;
  SystemTime token_expiry{};

  explicit Impl(WattTimeOptions o) : options(std::move(o)) {
    for (const auto& secret : secrets()) detail::register_secret(secret);
  }

  SystemTime now() const {
    return options.clock ? options.clock() : std::chrono::system_clock::now();
  }

  std::string base() const {
    auto base = std::string_view(options.base_url);
    while (base.ends_with('/')) base.remove_suffix(1);
    return std::string(base);
  }

  std::vector<std::string> secrets() const {
    return {options.username, options.password, basic_credentials, token};
  }

  // The reply's own words (a region name, units), scrubbed and cut short.
  std::string reply_text(std::string_view text, std::size_t max_bytes = 80) const {
    std::lock_guard lock(mutex);
    return detail::reply_text(text, secrets(), max_bytes);
  }

  void fail(std::error_code code, std::string text, ProviderFault& fault) const {
    std::lock_guard lock(mutex);
    fault = {code, detail::redact("WattTime: " + std::move(text), secrets())};
  }

  std::string describe(const HttpResponse& response) const {
    auto server_says = reply_text(detail::error_message(response.body), 300);
    return server_says.empty()
               ? response.detail
               : fmt::format("{} (the service says: {})", response.detail, server_says);
  }

  bool login(ProviderFault& fault) {
    if (options.username.empty() || options.password.empty()) {
      fail(errc::unauthorized,
           "no credentials: WATTTIME_USERNAME and WATTTIME_PASSWORD are not set, so no live figure "
           "was asked for; set both (or WattTimeOptions::username and password)",
           fault);
      return false;
    }
    auto response =
        http.get({base() + "/login", {{"Authorization", "Basic " + basic_credentials}}});
    if (response.error) {
      auto text = describe(response);
      if (response.error == errc::unauthorized) {
        text += "; check WATTTIME_USERNAME and WATTTIME_PASSWORD";
      }
      fail(response.error, "login failed: " + text, fault);
      return false;
    }
    std::string why;
    auto fresh = detail::parse_watttime_token(response.body, why);
    if (!fresh) {
      fail(errc::malformed_data, "login: " + why, fault);
      return false;
    }
    detail::register_secret(*fresh);
    std::lock_guard lock(mutex);
    token = std::move(*fresh);
    token_expiry = now() + token_lifetime;
    return true;
  }

  std::string current_token() const {
    std::lock_guard lock(mutex);
    return now() < token_expiry ? token : std::string();
  }

  // A data call with the bearer token, logging in first when the token is missing or old and
  // once more when the service answers 401 or 403 (an expired token).
  std::optional<std::string> get(std::string_view path, Params params, ProviderFault& fault) {
    auto url = fmt::format("{}/v3/{}?{}", base(), path, detail::query_string(params));
    for (int round = 0; round < 2; ++round) {
      auto bearer = current_token();
      if (bearer.empty()) {
        if (!login(fault)) return std::nullopt;
        bearer = current_token();
      }
      auto response = http.get({url, {{"Authorization", "Bearer " + bearer}}});
      if (response.error == errc::unauthorized && round == 0) {
        std::lock_guard lock(mutex);
        token_expiry = {};
        continue;
      }
      if (response.error) {
        auto text = describe(response);
        if (response.error == errc::unauthorized) {
          text +=
              "; the account may not read this region or signal (free accounts read "
              "CAISO_NORTH only)";
        }
        fail(response.error, text, fault);
        return std::nullopt;
      }
      fault.clear();
      return std::move(response.body);
    }
    return std::nullopt;
  }

  // MOER (or AOER) in g/kWh; other units are refused rather than mislabelled.
  std::optional<Forecast> series(const std::string& region, std::string_view path, Params params,
                                 ProviderFault& fault) {
    auto body = get(path, std::move(params), fault);
    if (!body) return std::nullopt;
    std::string why;
    auto parsed = detail::parse_watttime_series(*body, why);
    if (!parsed) {
      fail(errc::malformed_data, std::string(path) + ": " + why, fault);
      return std::nullopt;
    }
    if (parsed->units != "lbs_co2_per_mwh") {
      fail(errc::malformed_data,
           fmt::format("{} is in '{}', not lbs_co2_per_mwh; no intensity can be read from it", path,
                       reply_text(parsed->units, 32)),
           fault);
      return std::nullopt;
    }
    std::vector<detail::TimedFigure> figures;
    figures.reserve(parsed->points.size());
    for (const auto& p : parsed->points) {
      figures.push_back({p.time, p.value * grams_per_kwh_per_lbs_per_mwh});
    }
    Forecast out;
    out.points = detail::to_points(figures, parsed->period);
    out.signal = options.signal_type == "co2_aoer" ? Signal::average : Signal::marginal;
    out.provenance = {Basis::measured,
                      fmt::format("WattTime {} {}, region {}", options.signal_type, path, region),
                      1.0, 1.0, false};
    return out;
  }

  std::optional<std::string> region_of(const Location& location, ProviderFault& fault) {
    if (location.kind == Location::Kind::zone && !location.key.empty()) return location.key;
    fail(errc::unknown_location,
         fmt::format("WattTime needs a region key (CAISO_NORTH) as a zone; {} is not one; "
                     "region_from_location() finds it from coordinates",
                     to_string(location)),
         fault);
    return std::nullopt;
  }
};

WattTimeProvider::WattTimeProvider(WattTimeOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

WattTimeProvider::~WattTimeProvider() = default;

Forecast WattTimeProvider::forecast(const std::string& region, ProviderFault& fault) {
  auto out = impl_->series(region, "forecast",
                           {{"region", region},
                            {"signal_type", impl_->options.signal_type},
                            {"horizon_hours", std::to_string(impl_->options.horizon_hours)}},
                           fault);
  if (!out) return {};
  out->provenance.basis = Basis::modelled;
  return std::move(*out);
}

std::vector<IntensityPoint> WattTimeProvider::historical(const std::string& region,
                                                         SystemTime start, SystemTime end,
                                                         ProviderFault& fault) {
  auto out = impl_->series(region, "historical",
                           {{"region", region},
                            {"signal_type", impl_->options.signal_type},
                            {"start", format_utc_time(start)},
                            {"end", format_utc_time(end)}},
                           fault);
  return out ? std::move(out->points) : std::vector<IntensityPoint>{};
}

SignalIndex WattTimeProvider::signal_index(const std::string& region, ProviderFault& fault) {
  auto body = impl_->get("signal-index",
                         {{"region", region}, {"signal_type", impl_->options.signal_type}}, fault);
  if (!body) return {};
  std::string why;
  auto parsed = detail::parse_watttime_series(*body, why);
  if (!parsed || parsed->points.empty() || parsed->units != "percentile") {
    impl_->fail(errc::malformed_data,
                "signal-index: " + (why.empty() ? "no percentile in the response" : why), fault);
    return {};
  }
  return {parsed->points.front().value, parsed->points.front().time};
}

WattTimeRegion WattTimeProvider::region_from_location(double latitude, double longitude,
                                                      ProviderFault& fault) {
  auto body = impl_->get("region-from-loc",
                         {{"latitude", fmt::format("{}", latitude)},
                          {"longitude", fmt::format("{}", longitude)},
                          {"signal_type", impl_->options.signal_type}},
                         fault);
  if (!body) return {};
  std::string why;
  auto region = detail::parse_watttime_region(*body, why);
  if (!region) {
    auto server_says = impl_->reply_text(detail::error_message(*body), 300);
    impl_->fail(errc::unknown_location,
                fmt::format("region-from-loc for point {},{}: {}", latitude, longitude,
                            server_says.empty() ? why : server_says),
                fault);
    return {};
  }
  region->region = impl_->reply_text(region->region, 32);
  region->full_name = impl_->reply_text(region->full_name);
  region->signal_type = impl_->reply_text(region->signal_type, 32);
  return std::move(*region);
}

IntensityReading WattTimeProvider::intensity_at(const Location& location, SystemTime at,
                                                ProviderFault& fault) {
  auto region = impl_->region_of(location, fault);
  if (!region) return {};
  auto now = impl_->now();
  Forecast source;
  std::string_view endpoint = "forecast";
  if (at < now - std::chrono::minutes(10)) {
    endpoint = "historical";
    source.points =
        historical(*region, at - std::chrono::minutes(5), at + std::chrono::minutes(5), fault);
    source.provenance.basis = Basis::measured;
  } else {
    source = forecast(*region, fault);
  }
  if (fault) return {};
  auto point = detail::point_covering(source.points, at);
  // The first forecast point is the current estimate (the nowcast); it also answers "now".
  if (!point && endpoint == "forecast" && !source.points.empty() &&
      at < source.points.front().time) {
    point = source.points.front();
  }
  if (!point) {
    impl_->fail(
        errc::malformed_data,
        fmt::format("{} has no figure for {} at {}", endpoint, *region, format_utc_time(at)),
        fault);
    return {};
  }
  IntensityReading out;
  out.intensity = point->intensity;
  out.signal = impl_->options.signal_type == "co2_aoer" ? Signal::average : Signal::marginal;
  auto meaning = out.signal == Signal::marginal ? " (marginal: what one more kWh emits)" : "";
  out.provenance = {source.provenance.basis,
                    fmt::format("WattTime {} {}{}, region {}, {}", impl_->options.signal_type,
                                endpoint, meaning, *region, format_utc_time(point->time)),
                    1.0, 1.0, false};
  out.valid_from = point->time;
  out.valid_until = point->time + point->duration;
  return out;
}

Forecast WattTimeProvider::forecast(const Location& location, SystemTime from, SystemTime to,
                                    ProviderFault& fault) {
  auto region = impl_->region_of(location, fault);
  if (!region) return {};
  auto out = forecast(*region, fault);
  if (fault) return {};
  out.points = detail::points_within(std::move(out.points), from, to);
  if (out.points.empty()) {
    impl_->fail(errc::unsupported,
                fmt::format("the forecast for {} does not reach {} .. {}", *region,
                            format_utc_time(from), format_utc_time(to)),
                fault);
    return {};
  }
  return out;
}

}  // namespace greentrain
