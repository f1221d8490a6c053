#include "intensity/failure_cause.hpp"

namespace greentrain::detail {

std::string failure_cause(const IntensityProvider& provider, const Location& location,
                          std::error_code ec) {
  auto prefix = std::string(provider.name()) + ": ";
  auto text = provider.explain(location, ec);
  if (text.starts_with(prefix)) text.erase(0, prefix.size());
  return text.empty() ? ec.message() : text;
}

}  // namespace greentrain::detail
