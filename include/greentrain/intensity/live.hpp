#pragma once
// The live chain for the command line and the tracker: Electricity Maps, then its cache (an
// expired answer, labelled), then an offline provider (the embedded tables), labelled degraded.
#include <memory>

#include "greentrain/intensity/cache.hpp"
#include "greentrain/intensity/electricitymaps.hpp"
#include "greentrain/intensity/fallback.hpp"

namespace greentrain {

struct LiveChainOptions {
  ElectricityMapsOptions electricity_maps;
  CacheOptions cache;
  FallbackOptions fallback;
  std::shared_ptr<IntensityProvider> offline;  // the last resort; empty: none

  // ELECTRICITYMAPS_API_KEY; GREENTRAIN_ELECTRICITYMAPS_URL (another host, or a local replay
  // server); GREENTRAIN_INTENSITY_CACHE (a file that keeps the cache between runs). TLS trusts the
  // system store (OpenSSL honours SSL_CERT_FILE). offline: the embedded tables.
  static LiveChainOptions from_environment();
};

std::unique_ptr<IntensityProvider> make_live_chain(LiveChainOptions options);

}  // namespace greentrain
