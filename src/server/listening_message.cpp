#include <fmt/format.h>

#include "greentrain/server.hpp"

namespace greentrain {

std::string listening_message(std::string_view address, unsigned short port) {
  const bool everywhere = address == "0.0.0.0" || address == "::";
  std::string host = address == "0.0.0.0" ? "127.0.0.1"
                     : address == "::"    ? "[::1]"
                     : address.find(':') != std::string_view::npos
                         ? fmt::format("[{}]", address)  // an IPv6 address in a URL
                         : std::string(address);
  return fmt::format("live at http://{}:{}/ (metrics at /metrics{})", host, port,
                     everywhere ? fmt::format("; listening on all interfaces, so other machines "
                                              "reach it at this machine's addresses, port {}",
                                              port)
                                : "");
}

}  // namespace greentrain
