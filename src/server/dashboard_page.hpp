#pragma once
#include <string_view>

namespace greentrain::detail {

// The live dashboard: one page, its script and style inline, polling the JSON API every second.
std::string_view dashboard_page();

}  // namespace greentrain::detail
