#pragma once
// Small text helpers shared by the outputs.
#include <string>
#include <string_view>
#include <vector>

#include "greentrain/emissions.hpp"

namespace greentrain::detail {

// "2026-11-23T08:01:02.123456+00:00", as Python's isoformat() writes an aware UTC time.
std::string iso_timestamp(SystemTime time);

// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
std::string csv_field(std::string_view text);

std::string version();

// The time series as a JSON document: {"samples":[{"time":..., "cpu_w":...},{...}]}
std::string samples_document(const std::vector<Sample>& samples);

}  // namespace greentrain::detail
