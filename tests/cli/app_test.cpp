#include "app.hpp"

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>
#include <new>
#include <sstream>

#include "cli/command_line.hpp"
#include "command.hpp"
#include "core/secrets.hpp"
#include "redacted_output.hpp"

using greentrain::test::run_greentrain;
using namespace greentrain::cli;

namespace {

// A command of this test only, whose action runs out of memory.
const Registration out_of_memory{{
    .name = "test-out-of-memory",
    .summary = "throws std::bad_alloc",
    .define = [](Options&) -> Action { return []() -> int { throw std::bad_alloc(); }; },
}};

// The refusal of one bad value: exit status 2 and the message on stderr.
void check_refused(std::vector<std::string> args, const std::string& message) {
  auto result = run_greentrain(args);
  INFO(result.err);
  CHECK(result.status == 2);
  CHECK(result.err.find(message) != std::string::npos);
  CHECK(result.out.empty());
}

}  // namespace

TEST_CASE("greentrain --version prints the project's version", "[cli]") {
  auto result = run_greentrain({"--version"});
  CHECK(result.status == 0);
  CHECK(result.out == "greentrain " GREENTRAIN_EXPECTED_VERSION "\n");
}

TEST_CASE("greentrain help lists the commands, and help COMMAND explains one", "[cli]") {
  auto all = run_greentrain({"help"});
  CHECK(all.status == 0);
  for (const auto& command : commands()) CHECK(all.out.find(command.name) != std::string::npos);

  auto train = run_greentrain({"help", "train"});
  CHECK(train.status == 0);
  CHECK(train.out.find("Usage: greentrain train") != std::string::npos);
  CHECK(train.out.find("passes over the training data (default: 10)") != std::string::npos);
  CHECK(train.out.find("one per layer (default: 1024,1024)") != std::string::npos);

  auto unknown = run_greentrain({"help", "trian"});
  CHECK(unknown.status == 2);
  CHECK(unknown.err.find("unknown command 'trian'") != std::string::npos);
}

TEST_CASE(
    "every command's --help lists every option with its description and "
    "default",
    "[cli]") {
  for (const auto& command : commands()) {
    auto help = run_greentrain({std::string(command.name), "--help"});
    INFO(command.name << "\n" << help.out);
    CHECK(help.status == 0);
    // The same declarations, read back from CLI11, say what the help must show.
    CLI::App app;
    Options options(app);
    command.define(options);
    for (const CLI::Option* option : app.get_options()) {
      if (option->get_name() == "--help") continue;
      INFO(option->get_name());
      CHECK_FALSE(option->get_description().empty());
      CHECK(help.out.find(option->get_description()) != std::string::npos);
      bool takes_value = option->get_expected_max() > 0 && !option->get_positional();
      if (takes_value) CHECK(option->get_description().find("(default: ") != std::string::npos);
    }
  }
}

TEST_CASE("the --zone and --country help says which table answers each", "[cli]") {
  auto help = run_greentrain({"run", "--help"});
  CHECK(help.out.find("answered by the Electricity Maps yearly average") != std::string::npos);
  CHECK(help.out.find("answered by Ember's yearly national average") != std::string::npos);
}

TEST_CASE("counts refuse negative, zero, fractional and overflowing values", "[cli]") {
  check_refused({"train", "--epochs", "-1"},
                "greentrain train: --epochs: got '-1'; expected a whole number "
                "from 1 to 1000000");
  check_refused({"train", "--batch", "-5"}, "--batch: got '-5'; expected a whole number from 1");
  check_refused({"train", "--batch", "0"}, "--batch: got '0'");
  check_refused({"train", "--epochs", "99999999999999999999"}, "--epochs: got '9999");
  check_refused({"regions", "--top", "2.5"}, "--top: got '2.5'; expected a whole number");
}

TEST_CASE("numbers refuse NaN, infinity and values out of range", "[cli]") {
  check_refused({"train", "--lr", "nan"}, "--lr: got 'nan'; expected a finite number, more than 0");
  check_refused({"train", "--dropout", "1"}, "--dropout: got '1'; expected a finite number");
  check_refused({"regions", "--power", "nan", "--json"}, "--power: got 'nan'");
  check_refused({"run", "--pue", "inf", "--", "true"},
                "--pue: got 'inf'; expected a finite "
                "number, at least 1");
  check_refused({"run", "--intensity", "-3", "--", "true"}, "--intensity: got '-3'");
  check_refused({"report", "emissions.csv", "--budget", "0"}, "--budget: got '0'");
}

TEST_CASE("named values refuse an unknown name and list those accepted", "[cli]") {
  check_refused({"train", "--activation", "tanh"},
                "--activation: got 'tanh'; expected one of relu, gelu");
  check_refused({"train", "--optimizer", "adam"}, "expected one of sgd, adamw");
  check_refused({"train", "--lr-schedule", "linear"}, "expected one of cosine, step, constant");
  check_refused({"regions", "--provider", "oracle"}, "unknown provider 'oracle'; expected all or");
  check_refused({"regions", "--countries", "FR,XX"}, "unknown country 'XX'");
  check_refused({"regions", "--zones", "FR,NOWHERE"}, "unknown zone 'NOWHERE'");
}

TEST_CASE("durations need their unit, and ms is one", "[cli]") {
  check_refused({"run", "--interval", "30", "--", "true"},
                "--interval: got '30'; expected a number and its unit: 500ms, "
                "30s, 90m, 4h or 2d");
  check_refused({"regions", "--duration", "4"}, "--duration: got '4'");
  check_refused({"window", "--zone", "FR", "--deadline", "+24"}, "--deadline: got '+24'");
  check_refused({"window", "--zone", "FR", "--deadline", "tomorrow"},
                "expected an ISO 8601 time (2020-06-01T09:00:00Z) or +DURATION");
}

TEST_CASE("sizes that cannot be allocated are refused or explained", "[cli]") {
  check_refused({"train", "--layers", "1024,99999999999"},
                "--layers: got '1024,99999999999'; expected layer widths from "
                "1 to 65536");
  check_refused({"train", "--layers", "1024,,8"}, "--layers: got '1024,,8'");
  check_refused({"test-out-of-memory"}, "greentrain test-out-of-memory: not enough memory");
}

TEST_CASE("texts with a form refuse another", "[cli]") {
  check_refused({"run", "--serve", "localhost", "--", "true"},
                "--serve: got 'localhost'; expected [ADDR:]PORT");
  check_refused({"regions", "--near", "48.86"}, "--near: got '48.86'; expected LAT,LON");
  check_refused({"regions", "--baseline", "aws:nowhere-1"}, "unknown region 'aws:nowhere-1'");
  check_refused({"window", "--cloud", "gcp:europe-west9", "--deadline", "+1h", "--country", "FR"},
                "excludes");
}

TEST_CASE("options that need another say so", "[cli]") {
  check_refused({"regions", "--max-km", "100"}, "--max-km requires --near");
  check_refused({"window", "--zone", "FR", "--deadline", "+6h", "--at", "2020-01-01T00:00:00Z"},
                "--at requires --trace");
  check_refused({"train", "--train-csv", "a.csv"}, "--train-csv requires --test-csv");
}

TEST_CASE("unknown options and commands exit with status 2", "[cli]") {
  check_refused({"train", "--bogus"}, "--bogus");
  check_refused({"trian"}, "unknown command 'trian'");
}

TEST_CASE("what the command line writes on its streams leaves redacted", "[cli][secrets]") {
  greentrain::detail::forget_secrets();
  greentrain::detail::register_secret("cli-secret-42");
  auto result = run_greentrain({"cli-secret-42"});
  CHECK(result.status == 2);
  CHECK(result.err.find("greentrain: unknown command '[redacted]'") == 0);
  CHECK(result.err.find("cli-secret-42") == std::string::npos);
  greentrain::detail::forget_secrets();
}

TEST_CASE("a secret written to a redacting stream in pieces is still redacted whole",
          "[cli][secrets]") {
  greentrain::detail::forget_secrets();
  greentrain::detail::register_secret("cli-secret-42");
  std::ostringstream target;
  {
    RedactingBuffer buffer(target.rdbuf());
    std::ostream out(&buffer);
    out << "key cli-" << "secret" << '-' << 42 << "\nnext cli-sec";
    CHECK(target.str() == "key [redacted]\n");  // the unfinished line waits
    out << "ret-42";
  }
  CHECK(target.str() == "key [redacted]\nnext [redacted]");  // handed on when the buffer goes
  greentrain::detail::forget_secrets();
}
