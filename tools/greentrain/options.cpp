#include "options.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cmath>

#include "greentrain/intensity/time_text.hpp"

namespace greentrain::cli {

namespace {

using Check = std::function<std::string(const std::string&)>;

// CLI11 prefixes the flag's name: "--epochs: got '-1'; expected a whole number from 1 to 1000000".
std::string refusal(const std::string& value, std::string_view expected) {
  return fmt::format("got '{}'; expected {}", value, expected);
}

// Checked in the option's callback, so that every value given, empty ones too, is checked once.
template <class Value>
CLI::Option* add_parsed(CLI::App& app, const std::string& name, const std::string& description,
                        std::function<std::optional<Value>(const std::string&)> parse,
                        std::string expected, std::function<void(Value)> set) {
  return app.add_option_function<std::string>(
      name,
      [name, parse, expected, set](const std::string& text) {
        auto value = parse(text);
        if (!value) throw CLI::ValidationError(name, refusal(text, expected));
        set(*value);
      },
      description);
}

// A check's refusal as an error of the option.
CLI::Option* add_checked(CLI::App& app, const std::string& name, const std::string& description,
                         Check check, std::function<void(const std::string&)> set) {
  return app.add_option_function<std::string>(
      name,
      [name, check, set](const std::string& text) {
        if (auto problem = check ? check(text) : ""; !problem.empty())
          throw CLI::ValidationError(name, problem);
        set(text);
      },
      description);
}

std::string with_default(std::string description, std::string_view default_text) {
  if (default_text.empty()) return description;
  return fmt::format("{} (default: {})", description, default_text);
}

std::optional<std::uint64_t> whole_number(const std::string& text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> finite_number(const std::string& text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::string describe(Range range) {
  bool low = range.min != std::numeric_limits<double>::lowest();
  bool high = range.max != std::numeric_limits<double>::max();
  std::string from = fmt::format("{} {:g}", range.above ? "more than" : "at least", range.min);
  if (low && high) return fmt::format("a finite number, {} and at most {:g}", from, range.max);
  if (low) return fmt::format("a finite number, {}", from);
  if (high) return fmt::format("a finite number, at most {:g}", range.max);
  return "a finite number";
}

std::function<std::optional<double>(const std::string&)> in_range(Range range) {
  return [range](const std::string& text) -> std::optional<double> {
    auto value = finite_number(text);
    bool inside =
        value && (range.above ? *value > range.min : *value >= range.min) && *value <= range.max;
    return inside ? value : std::nullopt;
  };
}

std::string format_duration(std::chrono::milliseconds value) {
  auto ms = value.count();
  if (ms % 86'400'000 == 0 && ms != 0) return fmt::format("{}d", ms / 86'400'000);
  if (ms % 3'600'000 == 0 && ms != 0) return fmt::format("{}h", ms / 3'600'000);
  if (ms % 60'000 == 0 && ms != 0) return fmt::format("{}m", ms / 60'000);
  if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
  return fmt::format("{}ms", ms);
}

}  // namespace

void Options::text(std::string name, std::string& target, std::string placeholder,
                   std::string description, std::string default_text) {
  app_.add_option(name, target,
                  with_default(description, default_text.empty() ? target : default_text))
      ->type_name(placeholder);
}

void Options::text(std::string name, std::optional<std::string>& target, std::string placeholder,
                   std::string description, std::string default_text) {
  checked_text(std::move(name), target, std::move(placeholder), std::move(description), {},
               std::move(default_text));
}

void Options::checked_text(std::string name, std::optional<std::string>& target,
                           std::string placeholder, std::string description, Check check,
                           std::string default_text) {
  add_checked(app_, name, with_default(description, default_text), std::move(check),
              [&target](const std::string& value) { target = value; })
      ->type_name(placeholder);
}

void Options::flag(std::string name, bool& target, std::string description) {
  app_.add_flag(name, target, description);
}

void Options::count_to(std::string name, std::uint64_t current, std::uint64_t min,
                       std::uint64_t max, std::string placeholder, std::string description,
                       std::function<void(std::uint64_t)> set) {
  add_parsed<std::uint64_t>(
      app_, name, with_default(description, fmt::format("{}", current)),
      [min, max](const std::string& text) -> std::optional<std::uint64_t> {
        auto value = whole_number(text);
        return value && *value >= min && *value <= max ? value : std::nullopt;
      },
      fmt::format("a whole number from {} to {}", min, max), std::move(set))
      ->type_name(placeholder);
}

void Options::number(std::string name, double& target, Range range, std::string placeholder,
                     std::string description) {
  add_parsed<double>(app_, name, with_default(description, fmt::format("{:g}", target)),
                     in_range(range), describe(range), [&target](double value) { target = value; })
      ->type_name(placeholder);
}

void Options::number(std::string name, std::optional<double>& target, Range range,
                     std::string placeholder, std::string description, std::string default_text) {
  add_parsed<double>(app_, name, with_default(description, default_text), in_range(range),
                     describe(range), [&target](double value) { target = value; })
      ->type_name(placeholder);
}

void Options::duration(std::string name, std::chrono::milliseconds& target,
                       std::chrono::milliseconds min, std::string description) {
  add_parsed<std::chrono::milliseconds>(
      app_, name, with_default(description, format_duration(target)),
      [min](const std::string& text) -> std::optional<std::chrono::milliseconds> {
        auto value = parse_duration(text);
        return value && *value >= min ? value : std::nullopt;
      },
      fmt::format("{}, at least {}", duration_forms, format_duration(min)),
      [&target](std::chrono::milliseconds value) { target = value; })
      ->type_name("DURATION");
}

void Options::list(std::string name, std::vector<std::string>& target, std::string placeholder,
                   std::string description, Check check, std::string default_text, bool* bare) {
  auto items = [](const std::string& text) {
    std::vector<std::string> found;
    for (auto item : CLI::detail::split(text, ','))
      if (!item.empty()) found.push_back(item);
    return found;
  };
  auto check_all = [check, bare, items](const std::string& text) -> std::string {
    if (bare && text.empty()) return "";
    std::string problems;
    for (const auto& item : items(text))
      if (auto problem = check ? check(item) : ""; !problem.empty())
        problems += (problems.empty() ? "" : "; ") + problem;
    if (problems.empty() && items(text).empty())
      return refusal(text, "one item or more, separated by commas");
    return problems;
  };
  auto* option = add_checked(app_, name, with_default(description, default_text), check_all,
                             [&target, bare, items](const std::string& text) {
                               if (bare && text.empty()) *bare = true;
                               target = items(text);
                             });
  option->type_name(placeholder);
  if (bare) option->expected(0, 1);
}

void Options::choose(std::string name, std::vector<std::string> names, std::string current,
                     std::string description, std::function<void(const std::string&)> set) {
  auto listed = fmt::format("{}", fmt::join(names, ", "));
  add_checked(
      app_, name, with_default(description, current),
      [names, listed](const std::string& text) -> std::string {
        bool known = std::find(names.begin(), names.end(), text) != names.end();
        return known ? "" : refusal(text, "one of " + listed);
      },
      std::move(set))
      ->type_name(fmt::format("{}", fmt::join(names, "|")));
}

void Options::positional(std::string name, std::vector<std::string>& target,
                         std::string description) {
  app_.add_option(name, target, description);
}

void Options::positional(std::string name, std::string& target, std::string description) {
  app_.add_option(name, target, description);
}

void Options::exclusive(const std::vector<std::string>& names) {
  for (const auto& a : names)
    for (const auto& b : names)
      if (a != b) app_.get_option(a)->excludes(app_.get_option(b));
}

void Options::needs(const std::string& name, const std::string& needed) {
  app_.get_option(name)->needs(app_.get_option(needed));
}

void Options::footer(std::string text) { app_.footer(std::move(text)); }

bool Options::given(std::string_view name) const {
  return app_.get_option(std::string(name))->count() > 0;
}

}  // namespace greentrain::cli
