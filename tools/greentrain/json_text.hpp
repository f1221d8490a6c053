#pragma once
// The commands' --json output: written with nlohmann::ordered_json (each command's .cpp includes
// <nlohmann/json.hpp>), with the library's rules for figures: NaN or infinity is null, whole
// figures are integers.
#include "core/json_figures.hpp"

namespace greentrain::cli {

using greentrain::detail::json_figure;
using greentrain::detail::json_text;

}  // namespace greentrain::cli
