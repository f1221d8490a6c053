#include "tracking_options.hpp"

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include "greentrain/tracker.hpp"

using namespace greentrain;
using namespace greentrain::cli;
using namespace std::chrono_literals;

namespace {

void parse(CLI::App& app, std::vector<std::string> args) {
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  app.parse(reversed);
}

}  // namespace

TEST_CASE("the tracking options record which flags the user gave", "[cli]") {
  CLI::App app;
  Options options(app);
  TrackingFlags flags;
  flags.project = "fashion-mnist";
  add_tracking_options(options, flags);
  parse(app, {"--zone", "FR", "--pue", "1.2", "--interval", "250ms"});
  CHECK(flags.given_flags() == std::vector<std::string>{"--zone", "--interval", "--pue"});
  CHECK_FALSE(flags.given("--output-dir"));

  TrackerOptions tracker;
  flags.apply_to(tracker);
  CHECK(tracker.zone == "FR");
  CHECK(tracker.country.empty());
  CHECK(tracker.pue == 1.2);
  CHECK(tracker.interval == 250ms);
  CHECK(tracker.project == "fashion-mnist");
  CHECK(tracker.output_dir == ".");
}

TEST_CASE("one location at most: --zone and --country together are refused", "[cli]") {
  CLI::App app;
  Options options(app);
  LocationFlags flags;
  add_location_options(options, flags);
  CHECK_THROWS_WITH(parse(app, {"--zone", "FR", "--country", "FR"}),
                    Catch::Matches("--(zone|country) excludes --(zone|country)"));
}

TEST_CASE("the cloud location takes PROVIDER:REGION", "[cli]") {
  CLI::App app;
  Options options(app);
  LocationFlags flags;
  add_location_options(options, flags);
  CHECK_THROWS_WITH(parse(app, {"--cloud", "europe-west9"}),
                    Catch::StartsWith("--cloud: got 'europe-west9'; expected PROVIDER:REGION"));
}

TEST_CASE("the location flags give the location kind each names", "[cli]") {
  LocationFlags flags;
  CHECK_FALSE(flags.location());
  flags.country = "FR";
  CHECK(flags.location() == Location::country("FR"));
  flags = {};
  flags.cloud = "gcp:europe-west9";
  CHECK(flags.location() == Location::cloud("gcp", "europe-west9"));
  CHECK(flags.key() == "gcp:europe-west9");
}

TEST_CASE("the power override flags set the user's figures over the variables",
          "[cli][overrides]") {
  ::setenv("GREENTRAIN_CPU_POWER", "30", 1);
  ::setenv("GREENTRAIN_RAM_POWER", "4", 1);
  CLI::App app;
  Options options(app);
  TrackingFlags flags;
  add_tracking_options(options, flags);
  parse(app, {"--cpu-power", "65", "--gpu-power", "250"});
  TrackerOptions tracker;
  Config config = flags.apply_to(tracker);
  ::unsetenv("GREENTRAIN_CPU_POWER");
  ::unsetenv("GREENTRAIN_RAM_POWER");
  REQUIRE(tracker.cpu_power);
  CHECK(tracker.cpu_power->value == 65.0);  // the flag over the variable
  REQUIRE(tracker.ram_power);
  CHECK(tracker.ram_power->value == 4.0);  // the variable where no flag is given
  REQUIRE(tracker.gpu_power);
  CHECK(tracker.gpu_power->value == 250.0);
  CHECK(flags.given_flags() == std::vector<std::string>{"--cpu-power", "--gpu-power"});
}

TEST_CASE("a power override must be a number of watts above 0", "[cli][overrides]") {
  CLI::App app;
  Options options(app);
  TrackingFlags flags;
  add_tracking_options(options, flags);
  CHECK_THROWS_WITH(
      parse(app, {"--ram-power", "0"}),
      Catch::StartsWith("--ram-power: got '0'; expected a finite number, more than 0"));
}
