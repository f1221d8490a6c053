#pragma once
// Where the electricity comes from, said out loud once per process: with no location, which
// figure is used and the exact ways to set one; with a guessed one, that it is a guess.
#include <string>

#include "greentrain/intensity/provider.hpp"
#include "greentrain/tracker.hpp"

namespace greentrain::detail {

// place: the location's name ("France"), empty when none was given or guessed; reading: the
// figure the run starts with. Calls `notify` at most once per process for each of the two notices.
void tell_location(const TrackerOptions& options, const std::string& place,
                   const IntensityReading& reading, const NoticeHandler& notify);

// Lets the next tracker say them again: for tests, which run many trackers in one process.
void forget_location_notices();

}  // namespace greentrain::detail
