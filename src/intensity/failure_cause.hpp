#pragma once
// What a provider says went wrong, for the label of the answer given instead.
#include <string>
#include <system_error>

#include "greentrain/intensity/provider.hpp"

namespace greentrain::detail {

// The fault's reason without its leading "NAME: " ("cannot resolve
// api.electricitymap.org: ..."), so that the cause (DNS, TLS, a refused key, a rate limit) is
// named; the error's message when it has none.
std::string failure_cause(const IntensityProvider& provider, const Location& location,
                          const ProviderFault& fault);

}  // namespace greentrain::detail
