#include "greentrain/intensity/cache.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <mutex>

#include "intensity/cache_file.hpp"
#include "intensity/failure_cause.hpp"
#include "intensity/series.hpp"

namespace greentrain {
namespace {

using detail::CachedReading;

constexpr std::size_t max_readings_per_location = 96;

std::string age_text(std::chrono::seconds age) {
  if (age < std::chrono::minutes(2)) return fmt::format("{} s", age.count());
  if (age < std::chrono::hours(2)) return fmt::format("{} min", age.count() / 60);
  return fmt::format("{} h", age.count() / 3600);
}

bool covers(const IntensityReading& reading, SystemTime at) {
  if (reading.valid_from == reading.valid_until) return true;  // the figure names no interval
  return reading.valid_from <= at && at < reading.valid_until;
}

struct CachedForecast {
  Forecast forecast;
  SystemTime from{};
  SystemTime to{};
  SystemTime fetched{};
};

}  // namespace

struct CachedProvider::Impl {
  std::shared_ptr<IntensityProvider> inner;
  CacheOptions options;
  std::string name;
  std::mutex mutex;
  std::map<std::string, std::vector<CachedReading>> readings;  // by to_string(location)
  std::map<std::string, CachedForecast> forecasts;

  SystemTime now() const {
    return options.clock ? options.clock() : std::chrono::system_clock::now();
  }

  std::chrono::seconds age_of(SystemTime fetched) const {
    return std::max(std::chrono::seconds(0),
                    std::chrono::duration_cast<std::chrono::seconds>(now() - fetched));
  }

  std::optional<CachedReading> find(const std::string& key, SystemTime at) {
    std::lock_guard lock(mutex);
    auto it = readings.find(key);
    if (it == readings.end()) return std::nullopt;
    std::optional<CachedReading> newest;
    for (const auto& entry : it->second) {
      if (covers(entry.reading, at) && (!newest || entry.fetched > newest->fetched)) newest = entry;
    }
    return newest;
  }

  void store(const std::string& key, const IntensityReading& reading) {
    std::lock_guard lock(mutex);
    auto& list = readings[key];
    std::erase_if(list, [&](const CachedReading& e) {
      return e.reading.valid_from == reading.valid_from &&
             e.reading.valid_until == reading.valid_until;
    });
    list.push_back({key, reading, now()});
    if (list.size() > max_readings_per_location) list.erase(list.begin());
    if (!options.file.empty()) {
      std::vector<CachedReading> all;
      for (const auto& [k, entries] : readings)
        all.insert(all.end(), entries.begin(), entries.end());
      // A cache that cannot be written still serves from memory.
      std::error_code ignored;
      detail::write_cache_file(options.file, all, ignored);
    }
  }

  IntensityReading serve(const CachedReading& entry, bool stale, const std::string& why) const {
    auto reading = entry.reading;
    reading.age = age_of(entry.fetched);
    reading.provenance.source += fmt::format(", cached {} ago", age_text(reading.age));
    if (stale) {
      reading.provenance.degraded = true;
      reading.provenance.source += " (" + why + ")";
    }
    return reading;
  }
};

CachedProvider::CachedProvider(std::shared_ptr<IntensityProvider> inner, CacheOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->inner = std::move(inner);
  impl_->options = std::move(options);
  impl_->name = impl_->inner->name();  // transparent: its answers say when they are cached
  if (!impl_->options.file.empty()) {
    std::error_code ignored;  // a missing or damaged file starts an empty cache
    for (auto& entry : detail::read_cache_file(impl_->options.file, ignored)) {
      impl_->readings[entry.location].push_back(std::move(entry));
    }
  }
}

CachedProvider::~CachedProvider() = default;

std::string_view CachedProvider::name() const noexcept { return impl_->name; }

IntensityReading CachedProvider::intensity_at(const Location& location, SystemTime at,
                                              ProviderFault& fault) {
  auto key = to_string(location);
  auto cached = impl_->find(key, at);
  if (cached && impl_->age_of(cached->fetched) < impl_->options.ttl) {
    fault.clear();
    return impl_->serve(*cached, false, {});
  }
  auto reading = impl_->inner->intensity_at(location, at, fault);
  if (!fault) {
    impl_->store(key, reading);
    return reading;
  }
  if (cached && impl_->age_of(cached->fetched) <= impl_->options.max_stale) {
    auto why = fmt::format("{} unavailable: {}", impl_->inner->name(),
                           detail::failure_cause(*impl_->inner, location, fault));
    fault.clear();
    return impl_->serve(*cached, true, why);
  }
  return {};
}

Forecast CachedProvider::forecast(const Location& location, SystemTime from, SystemTime to,
                                  ProviderFault& fault) {
  auto key = to_string(location);
  std::optional<CachedForecast> cached;
  {
    std::lock_guard lock(impl_->mutex);
    if (auto it = impl_->forecasts.find(key); it != impl_->forecasts.end()) cached = it->second;
  }
  auto label = [&](Forecast f, bool stale, const std::string& why) {
    auto age = impl_->age_of(cached->fetched);
    f.points = detail::points_within(std::move(f.points), from, to);
    f.provenance.source += fmt::format(", cached {} ago", age_text(age));
    if (stale) {
      f.provenance.degraded = true;
      f.provenance.source += " (" + why + ")";
    }
    return f;
  };
  bool covered = cached && cached->from <= from && to <= cached->to;
  if (covered && impl_->age_of(cached->fetched) < impl_->options.ttl) {
    fault.clear();
    return label(cached->forecast, false, {});
  }
  auto fresh = impl_->inner->forecast(location, from, to, fault);
  if (!fault) {
    std::lock_guard lock(impl_->mutex);
    impl_->forecasts[key] = {fresh, from, to, impl_->now()};
    return fresh;
  }
  if (cached && impl_->age_of(cached->fetched) <= impl_->options.max_stale &&
      !detail::points_within(cached->forecast.points, from, to).empty()) {
    auto why = fmt::format("{} unavailable: {}", impl_->inner->name(),
                           detail::failure_cause(*impl_->inner, location, fault));
    fault.clear();
    return label(cached->forecast, true, why);
  }
  return {};
}

void CachedProvider::prefetch(std::span<const Location> locations, SystemTime at) {
  std::vector<Location> missing;
  for (const auto& location : locations) {
    auto cached = impl_->find(to_string(location), at);
    if (!cached || impl_->age_of(cached->fetched) >= impl_->options.ttl)
      missing.push_back(location);
  }
  if (!missing.empty()) impl_->inner->prefetch(missing, at);
}

}  // namespace greentrain
