// The package links and its embedded data answers offline.
#include <greentrain/intensity/embedded.hpp>

#include <cstdio>
#include <system_error>

int main() {
  greentrain::EmbeddedProvider provider;
  std::error_code ec;
  auto reading = provider.intensity_at(greentrain::Location::zone("FR"), {}, ec);
  std::printf("FR: %.0f g/kWh (%s)\n", reading.intensity.value, ec ? ec.message().c_str() : "ok");
  return ec ? 1 : 0;
}
