#pragma once
#include <string>

#include "greentrain/emissions.hpp"

namespace greentrain {

// One paragraph for the console: duration, energy and emissions, each with its provenance.
std::string summary(const RunResult& run);

}  // namespace greentrain
