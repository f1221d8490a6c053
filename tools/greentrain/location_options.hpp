#pragma once
// --zone, --country and --cloud, shared by the subcommands that track or decide.
#include <set>
#include <string>

#include "args.hpp"
#include "greentrain/tracker.hpp"

namespace greentrain::cli {

inline std::set<std::string, std::less<>> with_location_options(
    std::set<std::string, std::less<>> options) {
  options.insert({"zone", "country", "cloud"});
  return options;
}

inline void apply_location_options(const Args& args, TrackerOptions& options) {
  options.zone = args.get_or("zone", "");
  options.country = args.get_or("country", "");
  options.cloud_region = args.get_or("cloud", "");
}

}  // namespace greentrain::cli
