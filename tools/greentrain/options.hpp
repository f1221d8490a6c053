#pragma once
// How a command declares its options: once each, with its type, default,
// accepted range and description, on CLI11 (which only options.cpp and app.cpp
// include, to keep the build quick). Every value is checked where it is parsed;
// a refused one is an error naming the flag, the value and what is accepted,
// and the command exits with status 2.
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace CLI {
class App;
}

namespace greentrain::cli {

// The accepted range of a number; `above` excludes the minimum itself ("more than 0").
struct Range {
  double min = std::numeric_limits<double>::lowest();
  double max = std::numeric_limits<double>::max();
  bool above = false;
};

class Options {
 public:
  explicit Options(CLI::App& app) : app_(app) {}

  // `placeholder` is the value's name in the help ("N", "KG"); `description`
  // says what it does and its unit. The help adds "(default: ...)" from the
  // target's value, or from `default_text`.
  void text(std::string name, std::string& target, std::string placeholder, std::string description,
            std::string default_text = {});
  void text(std::string name, std::optional<std::string>& target, std::string placeholder,
            std::string description, std::string default_text = "none");
  // A text that `check` accepts: it returns what is wrong ("expected LAT,LON ..."), or "".
  void checked_text(std::string name, std::optional<std::string>& target, std::string placeholder,
                    std::string description, std::function<std::string(const std::string&)> check,
                    std::string default_text = "none");
  void flag(std::string name, bool& target, std::string description);

  // Whole numbers from min to max: "-1", "1.5" and "1e30" are refused, not wrapped or rounded.
  template <class Whole>
  void count(std::string name, Whole& target, std::uint64_t min, std::uint64_t max,
             std::string placeholder, std::string description) {
    auto value = static_cast<std::uint64_t>(target);
    count_to(std::move(name), value, min, max, std::move(placeholder), std::move(description),
             [&target](std::uint64_t parsed) { target = static_cast<Whole>(parsed); });
  }
  // Finite numbers in `range`: NaN and infinity are refused.
  void number(std::string name, double& target, Range range, std::string placeholder,
              std::string description);
  void number(std::string name, std::optional<double>& target, Range range, std::string placeholder,
              std::string description, std::string default_text);
  // A duration with its unit (parse_duration): 500ms, 30s, 90m, 4h, 2d; at least `min`.
  void duration(std::string name, std::chrono::milliseconds& target, std::chrono::milliseconds min,
                std::string description);
  // Comma-separated items; each is refused unless `check` returns "" for it.
  // With `bare`, the option may also come without a value, which sets *bare.
  void list(std::string name, std::vector<std::string>& target, std::string placeholder,
            std::string description, std::function<std::string(const std::string&)> check = {},
            std::string default_text = "any", bool* bare = nullptr);

  // One of named values: "--activation tanh" is refused with the names accepted.
  template <class Value>
  void choice(std::string name, Value& target, std::vector<std::pair<std::string, Value>> values,
              std::string description) {
    std::vector<std::string> names;
    std::string current;
    for (const auto& [text, value] : values) {
      names.push_back(text);
      if (value == target) current = text;
    }
    choose(std::move(name), std::move(names), std::move(current), std::move(description),
           [&target, values](const std::string& chosen) {
             for (const auto& [text, value] : values)
               if (text == chosen) target = value;
           });
  }

  // The arguments after `--`, or the positional ones.
  void positional(std::string name, std::vector<std::string>& target, std::string description);
  void positional(std::string name, std::string& target, std::string description);

  // At most one of these options.
  void exclusive(const std::vector<std::string>& names);
  // `name` only together with `needed`.
  void needs(const std::string& name, const std::string& needed);
  // The footer of the command's --help: what it writes, how the options combine.
  void footer(std::string text);

  // After parsing: whether the user gave the option.
  bool given(std::string_view name) const;

 private:
  void count_to(std::string name, std::uint64_t current, std::uint64_t min, std::uint64_t max,
                std::string placeholder, std::string description,
                std::function<void(std::uint64_t)> set);
  void choose(std::string name, std::vector<std::string> names, std::string current,
              std::string description, std::function<void(const std::string&)> set);

  CLI::App& app_;
};

}  // namespace greentrain::cli
