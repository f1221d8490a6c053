#include "options.hpp"

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

using namespace greentrain::cli;
using namespace std::chrono_literals;

namespace {

// Parses `args` against one option table; "" when accepted, else CLI11's message.
std::string parse(CLI::App& app, std::vector<std::string> args) {
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
    return "";
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
}

}  // namespace

TEST_CASE("a count refuses negatives, fractions and overflow instead of wrapping", "[cli]") {
  for (std::string bad : {"-1", "1.5", "0", "99999999999999999999", "ten", ""}) {
    CLI::App app;
    Options options(app);
    std::size_t epochs = 10;
    options.count("--epochs", epochs, 1, 1000, "N", "passes");
    CHECK(parse(app, {"--epochs", bad}) ==
          "--epochs: got '" + bad + "'; expected a whole number from 1 to 1000");
    CHECK(epochs == 10);
  }
  CLI::App app;
  Options options(app);
  int threads = 0;
  options.count("--threads", threads, 0, 64, "N", "threads");
  CHECK(parse(app, {"--threads", "64"}).empty());
  CHECK(threads == 64);
}

TEST_CASE("a number refuses NaN, infinity and values out of its range", "[cli]") {
  for (std::string bad : {"nan", "inf", "-inf", "0", "-3", "1e400", "3x"}) {
    CLI::App app;
    Options options(app);
    double lr = 0.05;
    options.number("--lr", lr, {.min = 0, .max = 100, .above = true}, "RATE", "learning rate");
    CHECK(parse(app, {"--lr", bad}) ==
          "--lr: got '" + bad + "'; expected a finite number, more than 0 and at most 100");
  }
  CLI::App app;
  Options options(app);
  std::optional<double> pue;
  options.number("--pue", pue, {.min = 1}, "X", "PUE", "1.0");
  CHECK(parse(app, {"--pue", "1.2"}).empty());
  CHECK(pue == 1.2);
}

TEST_CASE(
    "a duration takes ms to days and refuses a bare number with the "
    "forms accepted",
    "[cli]") {
  CLI::App app;
  Options options(app);
  std::chrono::milliseconds interval = 1s;
  options.duration("--interval", interval, 1ms, "between samples");
  CHECK(parse(app, {"--interval", "500ms"}).empty());
  CHECK(interval == 500ms);

  CLI::App bare;
  Options bare_options(bare);
  bare_options.duration("--interval", interval, 1ms, "between samples");
  CHECK(parse(bare, {"--interval", "30"}) ==
        "--interval: got '30'; expected a number and its unit: 500ms, 30s, "
        "90m, 4h or 2d, at "
        "least 1ms");
}

TEST_CASE("a choice refuses an unknown name and lists those accepted", "[cli]") {
  enum class Activation { relu, gelu };
  CLI::App app;
  Options options(app);
  auto activation = Activation::relu;
  options.choice("--activation", activation,
                 {{"relu", Activation::relu}, {"gelu", Activation::gelu}}, "activation");
  CHECK(parse(app, {"--activation", "tanh"}) ==
        "--activation: got 'tanh'; expected one of relu, gelu");
  CHECK(parse(app, {"--activation", "gelu"}).empty());
  CHECK(activation == Activation::gelu);
}

TEST_CASE("a list checks each item and may stand alone when it has a bare meaning", "[cli]") {
  auto known = [](const std::string& zone) {
    return zone == "FR" || zone == "DE" ? "" : "unknown zone '" + zone + "'";
  };
  CLI::App app;
  Options options(app);
  std::vector<std::string> zones;
  bool bare = false;
  options.list("--zones", zones, "Z,...", "zones", known, "any", &bare);
  CHECK(parse(app, {"--zones", "FR,XX"}) == "--zones: unknown zone 'XX'");
  CHECK(parse(app, {"--zones", "FR,DE"}).empty());
  CHECK(zones == std::vector<std::string>{"FR", "DE"});
  CHECK_FALSE(bare);

  CLI::App alone;
  Options alone_options(alone);
  alone_options.list("--zones", zones, "Z,...", "zones", known, "any", &bare);
  CHECK(parse(alone, {"--zones"}).empty());
  CHECK(bare);
}

TEST_CASE("the help says each option's default", "[cli]") {
  CLI::App app;
  Options options(app);
  std::size_t epochs = 10;
  std::chrono::milliseconds interval = 1s;
  options.count("--epochs", epochs, 1, 1000, "N", "passes over the data");
  options.duration("--interval", interval, 1ms, "time between samples");
  auto help = app.help();
  CHECK(help.find("--epochs N") != std::string::npos);
  CHECK(help.find("passes over the data (default: 10)") != std::string::npos);
  CHECK(help.find("time between samples (default: 1s)") != std::string::npos);
}
