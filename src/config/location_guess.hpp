#pragma once
// location = "auto": the time-zone guess put into the options, labelled as a guess.
#include "greentrain/time_zone.hpp"
#include "greentrain/tracker.hpp"

namespace greentrain::detail {

// The guessed country replaces any location in `options`; with no guess, no location is left and
// location_note says why, for the no-location notice.
void use_location_guess(TrackerOptions& options, const TimeZoneGuess& guess);

}  // namespace greentrain::detail
