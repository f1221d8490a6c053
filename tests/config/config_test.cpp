#include "greentrain/config.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "core/secrets.hpp"
#include "greentrain/error.hpp"
#include "greentrain/tracker.hpp"
#include "support/temp_dir.hpp"

using namespace greentrain;
namespace fs = std::filesystem;

namespace {

// The three files of a machine in a temp dir, and an environment of the test's making.
struct Layers {
  test::TempDir dir;
  ConfigSources sources{.system_file = dir / "etc-greentrain.toml",
                        .user_file = dir / "user-greentrain.toml",
                        .project_file = dir / "greentrain.toml",
                        .environment = {},
                        .time_zone = {.etc = dir / "no-etc", .zoneinfo = dir / "no-zoneinfo"}};

  fs::path write(const fs::path& file, const std::string& text,
                 fs::perms perms = fs::perms::owner_read | fs::perms::owner_write |
                                   fs::perms::group_read | fs::perms::others_read) {
    std::ofstream(file) << text;
    fs::permissions(file, perms);
    return file;
  }
  Config load() const { return Config::load(sources); }
};

std::string load_error(const Layers& layers) {
  try {
    layers.load();
  } catch (const error& e) {
    return e.what();
  }
  return "no error";
}

// The error of loading after `file` is rewritten with `text`.
std::string refused(Layers& layers, const fs::path& file, const std::string& text) {
  layers.write(file, text);
  return load_error(layers);
}

const Config::Entry& entry(const std::vector<Config::Entry>& entries, std::string_view key) {
  for (const auto& e : entries)
    if (e.key == key) return e;
  throw std::logic_error("no entry " + std::string(key));
}

}  // namespace

TEST_CASE("with no file and no variable, the built-in defaults stand and say so", "[config]") {
  Layers layers;
  auto config = layers.load();
  auto entries = config.entries();
  CHECK(entry(entries, "project").value == "greentrain");
  CHECK(entry(entries, "project").origin.layer == ConfigLayer::defaults);
  CHECK(entry(entries, "interval").value == "1s");
  CHECK_FALSE(entry(entries, "zone").is_set);
  CHECK(config.warnings().empty());
  REQUIRE(config.files().size() == 3);
  CHECK_FALSE(config.files()[0].read);
}

TEST_CASE("each layer overrides the one before: /etc, user, project, environment, flags",
          "[config][layers]") {
  Layers layers;
  layers.write(layers.sources.system_file, "pue = 1.1\nproject = \"sys\"\ninterval = \"5s\"\n");
  layers.write(layers.sources.user_file, "pue = 1.2\nproject = \"user\"\n");
  layers.write(layers.sources.project_file, "pue = 1.3\n");

  auto files_only = layers.load();
  CHECK(files_only.number("pue") == 1.3);
  CHECK(files_only.origin("pue")->layer == ConfigLayer::project_file);
  CHECK(files_only.origin("pue")->where == (layers.dir / "greentrain.toml").string() + ":1");
  CHECK(files_only.text("project") == "user");
  CHECK(files_only.origin("project")->layer == ConfigLayer::user_file);
  CHECK(files_only.interval() == std::chrono::seconds(5));
  CHECK(files_only.origin("interval")->layer == ConfigLayer::system_file);

  layers.sources.environment = {{"GREENTRAIN_PUE", "1.4"}, {"GREENTRAIN_PROJECT", "env"}};
  auto with_environment = layers.load();
  CHECK(with_environment.number("pue") == 1.4);
  CHECK(describe(*with_environment.origin("pue")) == "environment GREENTRAIN_PUE");

  with_environment.set_flag("pue", "1.5");
  CHECK(with_environment.number("pue") == 1.5);
  CHECK(describe(*with_environment.origin("pue")) == "flag --pue");
  CHECK(with_environment.text("project") == "env");

  TrackerOptions options;
  with_environment.apply(options);
  CHECK(options.pue == 1.5);
  CHECK(options.project == "env");
  CHECK(options.interval == std::chrono::seconds(5));
}

TEST_CASE("a later layer's location replaces an earlier one whole", "[config][layers][location]") {
  Layers layers;
  layers.write(layers.sources.system_file, "zone = \"DE\"\n");
  layers.sources.environment = {{"GREENTRAIN_COUNTRY", "FR"}};
  auto config = layers.load();
  CHECK(config.text("country") == "FR");
  CHECK_FALSE(config.text("zone"));

  TrackerOptions options;
  options.zone = "PL";  // a host's own choice is replaced by the configured location
  config.apply(options);
  CHECK(options.country == "FR");
  CHECK(options.zone.empty());

  config.set_flag("zone", "ES");
  CHECK(config.text("zone") == "ES");
  CHECK_FALSE(config.text("country"));
}

TEST_CASE("two locations in one place contradict each other", "[config][location]") {
  Layers layers;
  layers.write(layers.sources.project_file, "zone = \"FR\"\ncountry = \"DE\"\n");
  auto message = load_error(layers);
  CHECK_THAT(message, Catch::Contains("gives both 'zone' and 'country'") &&
                          Catch::Contains("greentrain.toml:2"));

  Layers flags;
  auto config = flags.load();
  config.set_flag("zone", "FR");
  CHECK_THROWS_WITH(config.set_flag("country", "DE"), Catch::Contains("the flags gives both"));
}

TEST_CASE("a malformed file names the file, the line and the key", "[config][errors]") {
  Layers layers;
  auto file = layers.write(layers.sources.project_file, "pue = 1.2\nzone = FR\n");
  auto message = load_error(layers);
  CHECK_THAT(message, Catch::StartsWith(file.string() + ":2:") && Catch::Contains("key 'zone'") &&
                          Catch::Contains("zone = \"FR\""));
}

TEST_CASE("a value of the wrong type names the file, line, key and what is accepted",
          "[config][errors]") {
  Layers layers;
  auto file = layers.write(layers.sources.user_file, "\n\npue = \"x\"\n");
  CHECK(load_error(layers) ==
        file.string() +
            ":3: key 'pue': \"x\" is not a number; accepted: a number from 1.0 up to 5.0 (the data "
            "centre's total energy over its IT energy)");

  CHECK_THAT(refused(layers, file, "zone = 33\n"),
             Catch::Contains(":1: key 'zone': 33 is a number, not text"));
  CHECK_THAT(refused(layers, file, "interval = 5\n"),
             Catch::Contains("key 'interval': 5 has no unit; accepted: a positive duration with "
                             "its unit"));
  CHECK_THAT(refused(layers, file, "cloud = [\"gcp\"]\n"),
             Catch::Contains("key 'cloud': a list is not accepted"));
}

TEST_CASE("an out-of-range value names the file, line, key and the range", "[config][errors]") {
  Layers layers;
  auto file = layers.write(layers.sources.project_file, "pue = 0.5\n");
  CHECK_THAT(load_error(layers),
             Catch::StartsWith(file.string() + ":1: key 'pue': 0.5 is out of "
                                               "range; accepted: a number from 1.0"));
  CHECK_THAT(refused(layers, file, "interval = \"-1s\"\n"),
             Catch::Contains("key 'interval': \"-1s\" is not a positive duration"));
  CHECK_THAT(refused(layers, file, "gpu_power = -300\n"),
             Catch::Contains("key 'gpu_power': -300 is out of range; accepted: the GPUs' power in "
                             "watts"));
  CHECK_THAT(refused(layers, file, "location = \"guess\"\n"),
             Catch::Contains("accepted: \"auto\""));
}

TEST_CASE("a bad variable or flag names it, its value and what is accepted", "[config][errors]") {
  Layers layers;
  layers.sources.environment = {{"GREENTRAIN_INTERVAL", "10"}};
  CHECK_THAT(load_error(layers), Catch::StartsWith("GREENTRAIN_INTERVAL=10: 10 has no unit"));

  layers.sources.environment = {{"GREENTRAIN_PUE", ""}};  // empty is unset, as shells mean it
  auto config = layers.load();
  CHECK_FALSE(config.number("pue"));
  CHECK_THROWS_WITH(config.set_flag("pue", "nan"),
                    Catch::StartsWith("--pue nan: nan is not a number"));
  CHECK_THROWS_WITH(config.set_flag("output-dir", ""),
                    Catch::StartsWith("--output-dir : the value is empty"));
  CHECK_THROWS_WITH(config.set_flag("zoen", "FR"), "unknown setting 'zoen'; did you mean 'zone'?");
  config.set_flag("interval", "500ms");
  CHECK(config.interval() == std::chrono::milliseconds(500));
}

TEST_CASE("an unknown key is a warning naming the nearest known key", "[config][warnings]") {
  Layers layers;
  auto file = layers.write(layers.sources.project_file, "pue = 1.2\n\nzoen = \"FR\"\n");
  auto config = layers.load();
  REQUIRE(config.warnings().size() == 1);
  CHECK(config.warnings()[0] ==
        "unknown key 'zoen' in " + file.string() + ":3; did you mean 'zone'?");
  CHECK(config.number("pue") == 1.2);
}

TEST_CASE("an API key in a file others can read is refused with the chmod that fixes it",
          "[config][secrets]") {
  Layers layers;
  auto file =
      layers.write(layers.sources.user_file, "electricitymaps_api_key = \"sk-secret-123\"\n");
  auto message = load_error(layers);
  CHECK(message == file.string() +
                       " holds electricitymaps_api_key but its group or others may read it (mode "
                       "644); run `chmod 600 " +
                       file.string() +
                       "`, or give the key through ELECTRICITYMAPS_API_KEY instead");
  CHECK_THAT(message, !Catch::Contains("sk-secret-123"));

  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
  auto config = layers.load();
  auto key = entry(config.entries(), "electricitymaps_api_key");
  CHECK(key.value == "set");
  CHECK(key.secret);
  CHECK(key.origin.where == file.string() + ":1");
  CHECK(config.text("electricitymaps_api_key") == "sk-secret-123");
}

TEST_CASE("API keys from the environment are shown as set, never as their value",
          "[config][secrets]") {
  Layers layers;
  layers.sources.environment = {{"WATTTIME_PASSWORD", "hunter2"}};
  auto config = layers.load();
  for (const auto& e : config.entries()) CHECK_THAT(e.value, !Catch::Contains("hunter2"));
  CHECK(describe(entry(config.entries(), "watttime_password").origin) ==
        "environment WATTTIME_PASSWORD");
}

TEST_CASE("secrets read from a file, a variable or a flag are redacted from then on",
          "[config][secrets]") {
  detail::forget_secrets();
  Layers layers;
  layers.write(layers.sources.project_file, "electricitymaps_api_key = \"file-key-7a1c\"\n",
               fs::perms::owner_read | fs::perms::owner_write);
  layers.sources.environment = {{"WATTTIME_USERNAME", "env-user-4b2d"}};
  auto config = layers.load();
  config.set_flag("watttime-password", "flag-pass-9e3f");
  CHECK(detail::redact("file-key-7a1c env-user-4b2d flag-pass-9e3f greentrain") ==
        "[redacted] [redacted] [redacted] greentrain");
  detail::forget_secrets();
}

TEST_CASE("location auto takes the time-zone guess, labelled, or says why there is none",
          "[config][location]") {
  Layers layers;
  layers.write(layers.sources.project_file, "location = \"auto\"\n");
  layers.sources.time_zone = {.etc = GREENTRAIN_TEST_DATA "/timezone/timezone-file/etc",
                              .zoneinfo = GREENTRAIN_TEST_DATA "/timezone/zoneinfo"};
  TrackerOptions options;
  layers.load().apply(options);
  CHECK(options.country == "FR");
  CHECK(options.location_note == "guessed from time zone Europe/Paris");

  layers.sources.time_zone.etc = layers.dir / "no-etc";
  TrackerOptions unguessed;
  layers.load().apply(unguessed);
  CHECK(unguessed.country.empty());
  CHECK_THAT(unguessed.location_note, Catch::StartsWith("location = \"auto\" found no country"));

  Layers flag;
  flag.sources.time_zone = layers.sources.time_zone;
  auto config = flag.load();
  config.set_flag("zone", "auto");
  CHECK(config.location_auto());
}

TEST_CASE("the user file follows XDG_CONFIG_HOME, else HOME", "[config][layers]") {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  std::optional<std::string> saved = xdg ? std::optional<std::string>(xdg) : std::nullopt;
  ::setenv("XDG_CONFIG_HOME", "/srv/xdg", 1);
  CHECK(ConfigSources::from_process().user_file == "/srv/xdg/greentrain/greentrain.toml");
  ::unsetenv("XDG_CONFIG_HOME");
  auto home = ConfigSources::from_process();
  CHECK(home.user_file ==
        fs::path(home.environment.at("HOME")) / ".config/greentrain/greentrain.toml");
  if (saved) ::setenv("XDG_CONFIG_HOME", saved->c_str(), 1);
}

TEST_CASE("power overrides reach the tracker's options in watts", "[config][power]") {
  Layers layers;
  layers.write(layers.sources.project_file, "cpu_power = 65\n");
  layers.sources.environment = {{"GREENTRAIN_GPU_POWER", "300"}};
  auto config = layers.load();
  CHECK(entry(config.entries(), "cpu_power").value == "65 W");
  auto options = tracker_options_from_config(config);
  CHECK(options.cpu_power->value == 65);
  CHECK(options.gpu_power->value == 300);
  CHECK_FALSE(options.ram_power);
}
