#pragma once
// Asks providers in order (live -> cache -> embedded) and says, in the answer, when it fell back.
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "greentrain/intensity/provider.hpp"

namespace greentrain {

class FallbackProvider final : public IntensityProvider {
 public:
  // The first provider is preferred; an answer from any later one is marked degraded and its
  // source names why the earlier ones failed. Empty entries are skipped.
  explicit FallbackProvider(std::vector<std::shared_ptr<IntensityProvider>> chain);

  std::string_view name() const noexcept override { return name_; }
  IntensityReading intensity_at(const Location& location, SystemTime at,
                                std::error_code& ec) override;
  Forecast forecast(const Location& location, SystemTime from, SystemTime to,
                    std::error_code& ec) override;
  std::string explain(const Location& location, std::error_code ec) const override;
  using IntensityProvider::forecast;
  using IntensityProvider::intensity_at;

 private:
  std::string note_failures(const Location& location, const std::vector<std::string>& reasons);

  std::vector<std::shared_ptr<IntensityProvider>> chain_;
  std::string name_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::string> last_failure_;  // by to_string(location)
};

}  // namespace greentrain
