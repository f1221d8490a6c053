#pragma once
// Remembers a provider's answers for a while, in memory and optionally in a file, and serves an
// expired answer (labelled degraded, with its age) when the provider fails.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>

#include "greentrain/intensity/provider.hpp"

namespace greentrain {

struct CacheOptions {
  std::chrono::seconds ttl{std::chrono::minutes(15)};  // fresh answers are served without asking
  std::chrono::seconds max_stale{std::chrono::hours(24)};  // expired answers still serve a failure
  std::filesystem::path file;  // empty: memory only; else loaded at start, rewritten atomically
  std::function<SystemTime()> clock;  // empty: the system clock
};

class CachedProvider final : public IntensityProvider {
 public:
  CachedProvider(std::shared_ptr<IntensityProvider> inner, CacheOptions options = {});
  ~CachedProvider() override;

  std::string_view name() const noexcept override;
  IntensityReading intensity_at(const Location& location, SystemTime at,
                                ProviderFault& fault) override;
  Forecast forecast(const Location& location, SystemTime from, SystemTime to,
                    ProviderFault& fault) override;
  // Passes on the locations without a fresh answer here.
  void prefetch(std::span<const Location> locations, SystemTime at) override;
  using IntensityProvider::forecast;
  using IntensityProvider::intensity_at;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace greentrain
