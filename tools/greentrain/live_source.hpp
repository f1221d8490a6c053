#pragma once
// The seam for live grid data. `regions` and `window` run offline on the embedded tables; the
// optional greentrain_regions component (Beast, OpenSSL) registers a factory here from its own
// CLI file (tools/greentrain/regions/), and then `--live` uses it.
#include <functional>
#include <memory>

#include "greentrain/intensity/provider.hpp"

namespace greentrain::cli {

using LiveProviderFactory = std::function<std::unique_ptr<IntensityProvider>()>;

// Empty unless the regions component is built in.
LiveProviderFactory& live_provider_factory();

// The live provider when `live`, else the embedded one. Throws greentrain::error saying how to
// get live data when this build has none.
std::unique_ptr<IntensityProvider> make_provider(bool live);

}  // namespace greentrain::cli
