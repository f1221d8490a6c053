#include "args.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "greentrain/error.hpp"

namespace greentrain::cli {

namespace {

std::string known_options(const std::set<std::string, std::less<>>& options,
                          const std::set<std::string, std::less<>>& flags) {
  std::vector<std::string> all;
  for (const auto& o : options) all.push_back("--" + o);
  for (const auto& f : flags) all.push_back("--" + f);
  std::sort(all.begin(), all.end());
  return fmt::format("{}", fmt::join(all, ", "));
}

}  // namespace

Args::Args(std::span<const std::string_view> args, std::set<std::string, std::less<>> options,
           std::set<std::string, std::less<>> flags) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "--") {
      for (++i; i < args.size(); ++i) command_.emplace_back(args[i]);
      break;
    }
    if (!arg.starts_with("--")) {
      positional_.emplace_back(arg);
      continue;
    }
    std::string_view body = arg.substr(2);
    std::optional<std::string_view> inline_value;
    if (auto eq = body.find('='); eq != std::string_view::npos) {
      inline_value = body.substr(eq + 1);
      body = body.substr(0, eq);
    }
    if (flags.contains(body) && !inline_value) {
      flags_set_.emplace(body);
    } else if (options.contains(body)) {
      if (inline_value) {
        values_[std::string(body)] = std::string(*inline_value);
      } else if (i + 1 < args.size()) {
        values_[std::string(body)] = std::string(args[++i]);
      } else {
        throw error(errc::invalid_argument, fmt::format("option --{} needs a value", body));
      }
    } else {
      throw error(errc::invalid_argument, fmt::format("unknown option --{}; known options: {}",
                                                      body, known_options(options, flags)));
    }
  }
}

std::optional<std::string> Args::get(std::string_view name) const {
  if (auto it = values_.find(name); it != values_.end()) return it->second;
  return std::nullopt;
}

std::string Args::get_or(std::string_view name, std::string fallback) const {
  return get(name).value_or(std::move(fallback));
}

double Args::number(std::string_view name, double fallback) const {
  auto text = get(name);
  if (!text) return fallback;
  double value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || end != text->data() + text->size())
    throw error(errc::invalid_argument,
                fmt::format("option --{} expects a number, got '{}'", name, *text));
  return value;
}

bool Args::flag(std::string_view name) const { return flags_set_.contains(name); }

double parse_duration_s(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  double scale = unit == "s" || unit.empty() ? 1 : unit == "m" ? 60 : unit == "h" ? 3600
                 : unit == "d" ? 86400 : -1;
  if (ec != std::errc{} || scale < 0 || value < 0)
    throw error(errc::invalid_argument,
                fmt::format("'{}' is not a duration; write it like 30s, 90m, 4h or 2d", text));
  return value * scale;
}

}  // namespace greentrain::cli
