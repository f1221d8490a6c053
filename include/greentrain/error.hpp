#pragma once
#include <stdexcept>
#include <string>
#include <system_error>

namespace greentrain {

enum class errc {
  invalid_argument = 1,  // an option or a parameter is out of its domain
  unknown_location,      // no zone, country or cloud region by that key
  sensor_unavailable,    // the sensor cannot be read on this machine
  permission_denied,     // a file exists but may not be read (RAPL energy_uj is root-only)
  io_error,              // reading or writing a file failed
  malformed_data,        // a file or a response has the wrong shape
  unsupported,           // the operation does not exist for this provider or hardware
  network_error,         // connection, TLS or protocol failure
  timeout,               // a connect or total deadline passed
  http_error,            // the server answered with an error status
  unauthorized,          // credentials missing, wrong or expired
  rate_limited,          // the server asked us to slow down (429)
  response_too_large,    // a body over the configured cap
  corrupt_checkpoint,    // a checkpoint failed its checksum or does not match the model
  stopped,               // the tracker or trainer was stopped
};

const std::error_category& error_category() noexcept;

inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

// What the throwing API throws: the code plus a message that says what was wrong and what to do
// (what() is that message alone, ready to show to a user).
class error : public std::runtime_error {
 public:
  error(errc code, const std::string& what) : error(make_error_code(code), what) {}
  error(std::error_code code, const std::string& what) : std::runtime_error(what), code_(code) {}

  const std::error_code& code() const noexcept { return code_; }

 private:
  std::error_code code_;
};

}  // namespace greentrain

template <>
struct std::is_error_code_enum<greentrain::errc> : std::true_type {};
