#pragma once
// The secrets this process holds (API keys, passwords, tokens), kept out of every text it writes:
// each sink (stdout and stderr, CSV, JSON, reports, the cache file, the server's answers) passes
// its text through redact() before it leaves.
#include <string>
#include <string_view>
#include <vector>

namespace greentrain::detail {

// Adds a value to the process-wide registry; thread-safe. Values shorter than min_secret_bytes
// are ignored (see secrets.cpp for why), as are values already registered.
void register_secret(std::string value);

inline constexpr std::size_t min_secret_bytes = 4;

// True once a secret is registered: the sinks' fast path when none is.
bool secrets_registered() noexcept;

// The text with every occurrence of every registered secret replaced by "[redacted]"; where
// occurrences overlap or touch, the whole stretch they cover becomes one "[redacted]", so that no
// part of either is left. Unchanged text when nothing matches.
std::string redact(std::string_view text);

// The same with these secrets too (any non-empty value, however short: the caller names them).
std::string redact(std::string_view text, const std::vector<std::string>& also);

// Empties the registry. For tests: a program never needs to forget a secret.
void forget_secrets();

}  // namespace greentrain::detail
