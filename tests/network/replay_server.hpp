#pragma once
// A local HTTPS server for the tests and benchmarks: it listens on 127.0.0.1 (an ephemeral
// port), runs on its own thread, replays recorded responses and injects faults.
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "greentrain/intensity/http_options.hpp"
#include "network/test_pki.hpp"

namespace greentrain::test {

struct Reply {
  unsigned status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds delay{0};  // answer this late (a slow server)
  bool cut_short = false;              // promise the whole body, send half, close
  std::string content_type = "application/json";
  // Hold the answer until this many requests for the same path have arrived: proves a client
  // runs them concurrently (a sequential one would time out), without timing anything.
  int hold_until_requests = 0;
};

inline Reply respond(unsigned status, std::string body) {
  Reply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

struct SeenRequest {
  std::string target;                          // path?query
  std::map<std::string, std::string> headers;  // lower-case names
};

using Handler = std::function<Reply(const SeenRequest&)>;

// Replies in turn, repeating the last one.
Handler in_turn(std::vector<Reply> replies);

std::string read_fixture(const std::string& name);  // tests/data/network/<name>

class ReplayServer {
 public:
  explicit ReplayServer(KeyPair identity = test_pki().server);
  ~ReplayServer();
  ReplayServer(const ReplayServer&) = delete;
  ReplayServer& operator=(const ReplayServer&) = delete;

  unsigned short port() const { return port_; }
  std::string connect_to() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string base_url(const std::string& prefix = "") const {  // https://api.test:PORT<prefix>
    return "https://api.test:" + std::to_string(port_) + prefix;
  }

  // Path without the query; unknown paths answer 404.
  void on(const std::string& path, Reply reply);
  void on(const std::string& path, Handler handler);

  std::vector<SeenRequest> seen() const;
  int hits(const std::string& path) const;
  // TCP connections accepted, whether or not a request followed (a refused certificate).
  int connections() const;

  // Client options that trust the test CA, connect here and back off for milliseconds only.
  HttpOptions client_options() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  unsigned short port_ = 0;
};

}  // namespace greentrain::test
