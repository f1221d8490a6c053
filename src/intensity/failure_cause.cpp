#include "intensity/failure_cause.hpp"

namespace greentrain::detail {

std::string failure_cause(const IntensityProvider& provider, const Location& location,
                          const ProviderFault& fault) {
  auto prefix = std::string(provider.name()) + ": ";
  auto text = provider.reason(location, fault);
  if (text.starts_with(prefix)) text.erase(0, prefix.size());
  return text.empty() ? fault.code.message() : text;
}

}  // namespace greentrain::detail
