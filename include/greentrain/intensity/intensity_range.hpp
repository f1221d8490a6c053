#pragma once
// The figures a grid intensity can have. No grid emits more than max_intensity_g_per_kwh per kWh
// (lignite alone is about 1,100 g): a figure above it, a negative one or NaN is refused wherever it
// comes from (a live reply, a trace, a cache file, a user), and a fallback answers instead.
#include <string>

#include "greentrain/intensity/provider.hpp"

namespace greentrain {

inline constexpr double max_intensity_g_per_kwh = 5000;

// Why a figure cannot be a grid intensity ("1e+300 g/kWh is outside 0 to 5000 g/kWh"), or empty.
std::string intensity_fault(GramsPerKwh intensity);
// The same for a reading (and an interval that ends before it starts) and for every point of a
// forecast (and a negative duration).
std::string intensity_fault(const IntensityReading& reading);
std::string intensity_fault(const Forecast& forecast);

}  // namespace greentrain
