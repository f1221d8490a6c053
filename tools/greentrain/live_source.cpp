#include "live_source.hpp"

#include "greentrain/error.hpp"
#include "greentrain/intensity/embedded.hpp"

namespace greentrain::cli {

LiveProviderFactory& live_provider_factory() {
  static LiveProviderFactory factory;
  return factory;
}

std::unique_ptr<IntensityProvider> make_provider(bool live) {
  if (!live) return std::make_unique<EmbeddedProvider>();
  if (!live_provider_factory())
    throw error(errc::unsupported,
                "--live needs the regions component (Beast, OpenSSL), which this build lacks; "
                "rebuild with -DGREENTRAIN_WITH_REGIONS=ON, or drop --live to use embedded data");
  return live_provider_factory()();
}

}  // namespace greentrain::cli
