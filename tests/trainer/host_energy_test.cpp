#include <catch2/catch.hpp>

#include <vector>

#include "greentrain/trainer/host_energy.hpp"

using namespace greentrain;
using namespace greentrain::trainer;

namespace {

// One rank of a run whose other ranks together sent `others` to rank 0.
class RankZero : public DataParallel {
 public:
  RankZero(bool reads, std::vector<double> others) : reads_(reads), others_(std::move(others)) {}
  int rank() const override { return 0; }
  int size() const override { return 2; }
  void sum(std::span<float>) override {}
  void sum(std::span<double>) override {}
  bool reads_host_energy() const override { return reads_; }
  void sum_to_root(std::span<double> values) override {
    for (std::size_t i = 0; i < values.size() && i < others_.size(); ++i) values[i] += others_[i];
  }

 private:
  bool reads_;
  std::vector<double> others_;
};

Emissions one_host() {
  Emissions e;
  e.cpu = {.energy = KilowattHours{0.5}, .provenance = {.basis = Basis::measured}, .present = true};
  e.ram = {.energy = KilowattHours{0.1}, .provenance = {.basis = Basis::modelled}, .present = true};
  e.energy = KilowattHours{0.72};  // x PUE 1.2
  e.emissions = GramsCo2e{36};
  return e;
}

}  // namespace

TEST_CASE("a rank that reads its host adds the host's figures to the sum", "[trainer][host_energy]") {
  RankZero rank(true, {1.0, 0.0, 0.2, 1.2, 60.0, 1.0, 0.0});
  HostEnergy total = sum_host_energy(rank, one_host());
  CHECK(total.cpu.value == Approx(1.5));
  CHECK(total.ram.value == Approx(0.3));
  CHECK(total.energy.value == Approx(1.92));
  CHECK(total.emissions.value == Approx(96));
  CHECK(total.hosts == 2);
  CHECK(total.hosts_measured == 1);
}

TEST_CASE("a rank sharing its host with a reading rank adds nothing", "[trainer][host_energy]") {
  RankZero rank(false, {0.5, 0.0, 0.1, 0.72, 36.0, 1.0, 1.0});
  HostEnergy total = sum_host_energy(rank, one_host());
  CHECK(total.cpu.value == Approx(0.5));
  CHECK(total.energy.value == Approx(0.72));
  CHECK(total.hosts == 1);
}
