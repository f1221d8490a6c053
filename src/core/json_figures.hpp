#pragma once
// How every JSON document greentrain writes turns figures into numbers and itself into text, with
// no secret in it.
// Templates on the JSON type, so this header stays free of nlohmann's (heavy) one: each writer
// includes <nlohmann/json.hpp> in its .cpp and calls these with nlohmann::ordered_json (members
// in the order written, as the documents have always had them).
//
// A figure that is NaN or infinite is written as null: JSON has no such numbers, and null is how
// every greentrain document says "this figure is unavailable" (readers take null as missing,
// never as 0). A whole figure is written as an integer (42, not 42.0), as before.
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include "core/secrets.hpp"

namespace greentrain::detail {

template <class Json>
Json json_figure(double value) {
  if (!std::isfinite(value)) return Json(nullptr);
  // Integers up to 2^53 are exact in a double, so the integer written is the figure itself.
  if (value == std::trunc(value) && std::fabs(value) <= 9007199254740992.0)
    return Json(static_cast<std::int64_t>(value));
  return Json(value);
}

// The figure rounded to `decimals` places, for the commands' summaries of estimates.
template <class Json>
Json json_figure(double value, int decimals) {
  double scale = std::pow(10.0, decimals);
  return json_figure<Json>(std::round(value * scale) / scale);
}

template <class Json>
Json json_figure(const std::optional<double>& value) {
  return value ? json_figure<Json>(*value) : Json(nullptr);
}

template <class Json>
Json json_figure(const std::optional<double>& value, int decimals) {
  return value ? json_figure<Json>(*value, decimals) : Json(nullptr);
}

// Every string of the document, member names included, with the registered secrets redacted:
// before dump() escapes them, since an escaped quote or backslash would hide one from a pass on
// the text.
template <class Json>
void redact_strings(Json& node) {
  if (node.is_string()) {
    node = redact(node.template get_ref<const typename Json::string_t&>());
  } else if (node.is_array()) {
    for (auto& item : node) redact_strings(item);
  } else if (node.is_object()) {
    Json redacted = Json::object();
    for (auto& member : node.items()) {
      redact_strings(member.value());
      redacted[redact(member.key())] = std::move(member.value());
    }
    node = std::move(redacted);
  }
}

// The document as text: compact, or indented by `indent` spaces, with no registered secret in it.
// Bytes that are not UTF-8 (a project name read from a foreign file) become U+FFFD instead of
// failing the whole document.
template <class Json>
std::string json_text(const Json& document, int indent = -1) {
  auto text = [indent](const Json& d) {
    return d.dump(indent, ' ', false, Json::error_handler_t::replace);
  };
  if (!secrets_registered()) return text(document);
  Json redacted = document;
  redact_strings(redacted);
  return text(redacted);
}

}  // namespace greentrain::detail
