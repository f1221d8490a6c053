// `--live` for `regions` and `window`: built only with the regions component, it plugs the live
// chain (Electricity Maps -> cache -> embedded, configured from the environment) into the seam.
#include "greentrain/intensity/live.hpp"

#include "../live_source.hpp"

namespace greentrain::cli {
namespace {

const bool registered = [] {
  live_provider_factory() = [] { return make_live_chain(LiveChainOptions::from_environment()); };
  return true;
}();

}  // namespace
}  // namespace greentrain::cli
