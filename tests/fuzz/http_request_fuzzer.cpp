// The live server's request handling: the bytes go to a real server on 127.0.0.1 over a socket
// (Beast's parser, the routes, the token and cookie checks), and the access parsers are called
// directly as well. The first byte chooses the open server or the one that wants a token.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "greentrain/server.hpp"
#include "greentrain/tracker.hpp"
#include "server/access.hpp"
#include "support/fake_machine.hpp"

namespace {

using namespace std::chrono_literals;

struct LiveServers {
  greentrain::test::FakeMachine machine;
  greentrain::EmissionsTracker tracker{[this] {
    greentrain::TrackerOptions o;
    o.project = "fuzz";
    o.zone = "FR";
    o.interval = std::chrono::hours(1);
    o.write_csv = o.write_json = false;
    o.on_error = [](std::error_code, const std::string&) {};
    o.discover = machine.discover();
    return o;
  }()};
  // A short deadline: an input that stops mid-request is closed quickly, not after 3 s.
  greentrain::MetricsServer open{tracker, {.token = "", .request_timeout = 200ms}};
  greentrain::MetricsServer guarded{tracker, {.token = "fuzz-token", .request_timeout = 200ms}};
};

// Sends the request, closes the sending half and reads until the server closes (or 2 s pass).
std::string exchange(unsigned short port, std::string_view request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return {};
  timeval limit{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string reply;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0) {
    for (std::size_t sent = 0; sent < request.size();) {
      ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    ::shutdown(fd, SHUT_WR);
    char buffer[16384];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) reply.append(buffer, n);
  }
  ::close(fd);
  return reply;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static LiveServers servers;
  if (size == 0) return 0;
  std::string_view request(reinterpret_cast<const char*>(data) + 1, size - 1);

  namespace access = greentrain::detail;
  access::bearer_matches(request, "fuzz-token");
  access::cookie_value(request, "greentrain_session");
  access::form_field(request, "token");

  auto& server = data[0] & 1 ? servers.guarded : servers.open;
  std::string reply = exchange(server.port(), request);
  // Whatever came in, what goes out is HTTP or nothing.
  if (!reply.empty() && !reply.starts_with("HTTP/1.1 ") && !reply.starts_with("HTTP/1.0 "))
    __builtin_trap();
  return 0;
}
