#include "greentrain/error.hpp"

namespace greentrain {
namespace {

class ErrorCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "greentrain"; }

  std::string message(int code) const override {
    switch (static_cast<errc>(code)) {
      case errc::invalid_argument: return "invalid argument";
      case errc::unknown_location: return "unknown zone, country or cloud region";
      case errc::sensor_unavailable: return "sensor unavailable";
      case errc::permission_denied: return "permission denied";
      case errc::io_error: return "input/output error";
      case errc::malformed_data: return "malformed data";
      case errc::unsupported: return "not supported";
      case errc::network_error: return "network error";
      case errc::timeout: return "timed out";
      case errc::http_error: return "HTTP error status";
      case errc::unauthorized: return "unauthorized";
      case errc::rate_limited: return "rate limited";
      case errc::response_too_large: return "response too large";
      case errc::corrupt_checkpoint: return "corrupt checkpoint";
      case errc::stopped: return "stopped";
    }
    return "unknown greentrain error";
  }
};

}  // namespace

const std::error_category& error_category() noexcept {
  static const ErrorCategory category;
  return category;
}

}  // namespace greentrain
