#include "tracker/location_notice.hpp"

#include <fmt/format.h>

#include <atomic>

namespace greentrain::detail {

namespace {

std::atomic<bool> told_no_location{false};
std::atomic<bool> told_guess{false};

}  // namespace

void tell_location(const TrackerOptions& options, const std::string& place,
                   const IntensityReading& reading, const NoticeHandler& notify) {
  if (options.intensity) return;  // the user's own figure: the location changes nothing
  if (place.empty()) {
    if (told_no_location.exchange(true)) return;
    std::string note =
        options.location_note.empty() ? "" : fmt::format(" ({})", options.location_note);
    notify(fmt::format(
        "no location given{}: the grid intensity is the world average, {:.0f} g/kWh ({}), and the "
        "country columns stay empty. Set one with --zone FR (an Electricity Maps zone; "
        "--country FRA for Ember's country figures), GREENTRAIN_ZONE=FR, or zone = \"FR\" in "
        "greentrain.toml; location = \"auto\" guesses it from the system time zone",
        note, reading.intensity.value, reading.provenance.source));
    return;
  }
  if (options.location_note.empty() || told_guess.exchange(true)) return;
  notify(
      fmt::format("the location is a guess: {}, {}, at {:.0f} g/kWh; set --zone, GREENTRAIN_ZONE "
                  "or zone in greentrain.toml to be sure",
                  place, options.location_note, reading.intensity.value));
}

void forget_location_notices() {
  told_no_location = false;
  told_guess = false;
}

}  // namespace greentrain::detail
