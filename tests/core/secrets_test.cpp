#include "core/secrets.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <string>
#include <thread>

#include "greentrain/outputs/csv.hpp"
#include "greentrain/outputs/json.hpp"
#include "greentrain/report.hpp"
#include "greentrain/summary.hpp"

using greentrain::detail::forget_secrets;
using greentrain::detail::redact;
using greentrain::detail::register_secret;
using greentrain::detail::secrets_registered;

namespace {

// Each case starts and ends with an empty registry: it is process-wide.
struct FreshRegistry {
  FreshRegistry() { forget_secrets(); }
  ~FreshRegistry() { forget_secrets(); }
};

}  // namespace

TEST_CASE("a registered secret is redacted wherever it occurs", "[core][secrets]") {
  FreshRegistry fresh;
  register_secret("em-key-8f3a");
  CHECK(redact("key em-key-8f3a, again em-key-8f3a.") == "key [redacted], again [redacted].");
  CHECK(redact("em-key-8f3a") == "[redacted]");
  CHECK(redact("em-key-8f3") == "em-key-8f3");  // a part is not the secret
}

TEST_CASE("several secrets are each redacted", "[core][secrets]") {
  FreshRegistry fresh;
  register_secret("user-alice");
  register_secret("pass-w0rd");
  register_secret("token-77aa");
  CHECK(redact("user-alice:pass-w0rd got token-77aa") == "[redacted]:[redacted] got [redacted]");
}

TEST_CASE("overlapping and adjacent secrets leave no part of either", "[core][secrets]") {
  FreshRegistry fresh;
  register_secret("abcdef");
  register_secret("defghi");
  // Replacing one after the other would leave "ghi" of the second.
  CHECK(redact("x abcdefghi y") == "x [redacted] y");
  CHECK(redact("abcdefabcdef") == "[redacted]");  // two touching occurrences
  register_secret("aaaa");
  CHECK(redact("aaaaa!") == "[redacted]!");  // overlapping occurrences of one secret
  CHECK(redact("b abcdef c defghi d") == "b [redacted] c [redacted] d");
}

TEST_CASE("with no secret registered, text passes unchanged", "[core][secrets]") {
  FreshRegistry fresh;
  CHECK_FALSE(secrets_registered());
  std::string text = "zone FR, 31 g/kWh, [redacted] already";
  CHECK(redact(text) == text);
  CHECK(redact("") == "");
  register_secret("");
  CHECK_FALSE(secrets_registered());
}

TEST_CASE("values too short to be told from ordinary text are not registered", "[core][secrets]") {
  FreshRegistry fresh;
  register_secret("abc");
  register_secret("20");
  CHECK_FALSE(secrets_registered());
  CHECK(redact("abc at 2026-01-20") == "abc at 2026-01-20");
  register_secret("abcd");  // min_secret_bytes
  CHECK(redact("abc abcd") == "abc [redacted]");
}

TEST_CASE("a secret named by the caller is redacted with the registered ones", "[core][secrets]") {
  FreshRegistry fresh;
  register_secret("registered-1");
  // Named ones count however short: the caller knows them to be secrets.
  CHECK(redact("bob registered-1 k3y", {"k3y", "", "bob"}) == "[redacted] [redacted] [redacted]");
}

TEST_CASE("secrets registered on one thread are redacted on another meanwhile", "[core][secrets]") {
  FreshRegistry fresh;
  constexpr int count = 200;
  std::atomic<bool> done{false};
  std::thread registering([&] {
    for (int i = 0; i < count; ++i) register_secret("secret-" + std::to_string(1000 + i));
    done = true;
  });
  // Redacting while the registry grows: each answer is whole, never a torn or partial one.
  std::string text = "a secret-1000 b secret-1199 c";
  bool all_whole = true;
  while (!done) {
    auto out = redact(text);
    all_whole = all_whole && (out == text || out == "a [redacted] b secret-1199 c" ||
                              out == "a [redacted] b [redacted] c");
  }
  registering.join();
  CHECK(all_whole);
  CHECK(redact(text) == "a [redacted] b [redacted] c");
}

TEST_CASE("CSV, JSON, summary and reports redact a secret before escaping it", "[core][secrets]") {
  FreshRegistry fresh;
  // Quotes, a comma, a pipe and markup: each sink's escapes would change this one's bytes.
  const std::string secret = R"(k"e,y|<&>\z)";
  register_secret(secret);
  greentrain::RunResult run;
  run.info.project = "p-" + secret;
  run.info.run_id = "run-1";
  run.total.task = "task " + secret;
  run.tasks.push_back(run.total);
  auto escaped_forms = {secret, std::string(R"(k""e,y)"), std::string(R"(k\"e,y)"),
                        std::string(R"(y\|)"), std::string("&lt;&amp;&gt;")};
  const std::string texts[] = {greentrain::CsvOutput::row(run, run.total),
                               greentrain::JsonOutput::to_json(run), greentrain::summary(run),
                               greentrain::markdown_report(run), greentrain::html_report(run)};
  for (const auto& text : texts) {
    INFO(text);
    CHECK(text.find("[redacted]") != std::string::npos);
    for (const auto& form : escaped_forms) CHECK(text.find(form) == std::string::npos);
  }
}
