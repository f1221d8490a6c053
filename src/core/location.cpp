#include "greentrain/intensity/location.hpp"

namespace greentrain {

std::optional<Location> Location::parse_cloud(const std::string& text) {
  auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
  return cloud(text.substr(0, colon), text.substr(colon + 1));
}

std::string to_string(const Location& location) {
  switch (location.kind) {
    case Location::Kind::zone: return "zone " + location.key;
    case Location::Kind::country: return "country " + location.key;
    case Location::Kind::cloud_region: return "cloud region " + location.provider + ":" + location.key;
  }
  return location.key;
}

}  // namespace greentrain
