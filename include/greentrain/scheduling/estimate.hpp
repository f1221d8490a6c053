#pragma once
// The job's expected power for an estimate before running, taken from an earlier run.
#include <filesystem>

#include "greentrain/units.hpp"

namespace greentrain::scheduling {

// Average power of the last run in a CodeCarbon-compatible emissions.csv: energy_consumed (kWh)
// over duration (s) of its last row. Throws greentrain::error naming the file when it cannot be
// read, lacks those columns, or its last row has no positive duration.
Watts power_from_emissions_csv(const std::filesystem::path& file);

}  // namespace greentrain::scheduling
