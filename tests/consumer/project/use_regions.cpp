// The live providers, without the network: a provider is built and names itself, and the
// embedded data ranks regions offline.
#include <greentrain/intensity/electricitymaps.hpp>
#include <greentrain/intensity/embedded.hpp>
#include <greentrain/region_picker.hpp>

#include "uses.hpp"

bool use_regions() {
  greentrain::ElectricityMapsOptions options;
  options.api_key = "not-a-key";
  greentrain::ElectricityMapsProvider live{options};
  auto query = greentrain::GridQuery::from(greentrain::Location::zone("FR"));

  greentrain::EmbeddedProvider embedded;
  greentrain::RegionPicker picker{embedded};
  auto ranking = picker.rank({}, {.constraints = {.providers = {"gcp"}, .countries = {"FR", "DE"}}});
  return live.name() == "Electricity Maps" && query && query->zone == "FR" &&
         !ranking.ranked.empty() && ranking.ranked.front().region.provider == "gcp";
}
