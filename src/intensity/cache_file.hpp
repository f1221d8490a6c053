#pragma once
// The cache's file: readings as JSON, replaced atomically (write a sibling, then rename) so a
// crash leaves the old file or the new one, never half of one.
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "greentrain/intensity/provider.hpp"

namespace greentrain::detail {

struct CachedReading {
  std::string location;  // to_string(Location)
  IntensityReading reading;
  SystemTime fetched{};
};

void write_cache_file(const std::filesystem::path& file, const std::vector<CachedReading>& entries,
                      std::error_code& ec);

// Entries it cannot read are skipped; a missing or damaged file gives none and sets ec.
std::vector<CachedReading> read_cache_file(const std::filesystem::path& file, std::error_code& ec);

}  // namespace greentrain::detail
