#include "greentrain/intensity/live.hpp"

#include <cstdlib>

#include "greentrain/intensity/embedded.hpp"

namespace greentrain {

LiveChainOptions LiveChainOptions::from_environment() {
  LiveChainOptions options;
  options.electricity_maps = ElectricityMapsOptions::from_environment();
  if (const char* url = std::getenv("GREENTRAIN_ELECTRICITYMAPS_URL"); url && *url) {
    options.electricity_maps.base_url = url;
  }
  if (const char* file = std::getenv("GREENTRAIN_INTENSITY_CACHE"); file && *file) {
    options.cache.file = file;
  }
  options.offline = std::make_shared<EmbeddedProvider>();
  return options;
}

std::unique_ptr<IntensityProvider> make_live_chain(LiveChainOptions options) {
  auto live = std::make_shared<ElectricityMapsProvider>(std::move(options.electricity_maps));
  auto cached = std::make_shared<CachedProvider>(std::move(live), std::move(options.cache));
  return std::make_unique<FallbackProvider>(
      std::vector<std::shared_ptr<IntensityProvider>>{std::move(cached),
                                                      std::move(options.offline)},
      std::move(options.fallback));
}

}  // namespace greentrain
