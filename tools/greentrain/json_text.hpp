#pragma once
// JSON string literals for the commands' --json output: the library's own escaping.
#include "outputs/text.hpp"

namespace greentrain::cli {

using greentrain::detail::json_string;

}  // namespace greentrain::cli
