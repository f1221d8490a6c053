#pragma once
// The run in Prometheus's text exposition format (version 0.0.4), with HELP and TYPE lines.
#include <string>

#include "greentrain/emissions.hpp"

namespace greentrain::detail {

std::string prometheus_text(const RunResult& run);

// A label value with backslash, double quote and line feed escaped.
std::string prometheus_label(std::string_view value);

}  // namespace greentrain::detail
