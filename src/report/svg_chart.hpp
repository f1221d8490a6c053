#pragma once
// Charts as inline SVG text: the report must draw without scripts, fonts or network.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace greentrain::detail {

struct ChartSeries {
  std::string name;
  std::string colour;          // a CSS colour: "#d62728"
  std::vector<double> values;  // one per x
};

// Lines over time; `x_seconds` counts from the start of the run.
std::string line_chart(std::string_view title, std::string_view unit,
                       const std::vector<double>& x_seconds,
                       const std::vector<ChartSeries>& series);

std::string bar_chart(std::string_view title, std::string_view unit,
                      const std::vector<std::pair<std::string, double>>& bars);

// Text safe inside HTML or SVG elements and attribute values, with no registered secret in it.
std::string markup_escape(std::string_view text);

}  // namespace greentrain::detail
