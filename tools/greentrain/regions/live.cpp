// `--live` for `regions` and `window`: built only with the regions component, it plugs the live
// chain (Electricity Maps -> cache -> embedded, configured from the environment) into the seam.
#include "greentrain/intensity/live.hpp"

#include <fmt/format.h>

#include "../live_source.hpp"
#include "../redacted_output.hpp"

namespace greentrain::cli {
namespace {

const bool registered = [] {
  live_provider_factory() = [] {
    auto options = LiveChainOptions::from_environment();
    // Said once, before any answer: each figure is also labelled with why it is not live.
    if (options.electricity_maps.api_key.empty())
      cli::print(stderr,
                 "greentrain: --live has no live data: ELECTRICITYMAPS_API_KEY is not set, so the "
                 "figures come from the embedded tables (labelled); set it to a key from "
                 "https://portal.electricitymaps.com\n");
    return make_live_chain(std::move(options));
  };
  return true;
}();

}  // namespace
}  // namespace greentrain::cli
