// The CPU model's constants and band are what the shipped measurements give, and the band holds
// what it says on them, each CPU predicted by the curve fitted on the others.
#include "sensors/cpu_calibration.hpp"

#include <catch2/catch.hpp>
#include <fstream>

#include "greentrain/error.hpp"
#include "support/temp_dir.hpp"

using namespace greentrain::sensors;
using namespace greentrain::sensors::calibration;

namespace {

std::vector<LoadStep> shipped() { return read_load_profiles(GREENTRAIN_LOAD_PROFILES_DIR); }

}  // namespace

TEST_CASE("a load profile's power is each step's own energy over its own duration",
          "[sensors][calibration]") {
  auto steps = read_load_profile(std::filesystem::path(GREENTRAIN_LOAD_PROFILES_DIR) /
                                 "all_cores-AMD_EPYC_8024P_8-Core_Processor.csv");
  REQUIRE(steps.size() == 11);
  CHECK(steps[0].tdp_w == 90.0);
  CHECK(steps[0].load == Approx(0.006));
  CHECK(steps[0].watts == Approx(0.0001549484709031223 * 3.6e6 / 30.545820467999988));
  CHECK(steps[0].watts != Approx(0.5890910446092622));  // not the rapl_power of the row before
}

TEST_CASE("the shipped curve is the fit to the shipped profiles", "[sensors][calibration]") {
  auto steps = shipped();
  REQUIRE(steps.size() == 44);
  CpuCurve fit = fit_curve(steps);
  CpuCurve shipped_curve;
  CHECK(fit.idle == Approx(shipped_curve.idle));
  CHECK(fit.full == Approx(shipped_curve.full));
  CHECK(fit.saturation == Approx(shipped_curve.saturation));
}

TEST_CASE(
    "leave-one-CPU-out: the band holds for 80 % of the steps, and the curve beats "
    "CodeCarbon's formula",
    "[sensors][calibration]") {
  Validation v = leave_one_cpu_out(shipped());
  REQUIRE(v.cpus.size() == 2);
  Band shipped_band = cpu_model_band();
  CHECK(v.band.low == Approx(shipped_band.low).margin(0.005));
  CHECK(v.band.high == Approx(shipped_band.high).margin(0.005));
  CHECK(v.band.coverage == Approx(shipped_band.coverage));
  CHECK(v.band.coverage >= 0.8);
  CHECK(v.mape < 0.75 * v.mape_codecarbon);
  for (const auto& cpu : v.cpus) CHECK(cpu.mape < cpu.mape_codecarbon);
}

TEST_CASE("a CPU missing from the TDP table has the band its 4 W per thread measured",
          "[sensors][calibration]") {
  auto steps = shipped();
  CHECK(steps.front().threads == 16);  // the EPYC 8024P's hardware threads
  Band computed = default_tdp_band(steps);
  Band shipped_band = cpu_model_band(lookup_cpu_tdp("AMD EPYC", 2));
  CHECK(computed.low == Approx(shipped_band.low).margin(0.005));
  CHECK(computed.high == Approx(shipped_band.high).margin(0.005));
  CHECK(computed.coverage == Approx(shipped_band.coverage));
  CHECK(computed.coverage >= 0.8);
  CHECK(cpu_model_band(lookup_cpu_tdp("AMD EPYC 7742", 128)).low == cpu_model_band().low);
}

TEST_CASE("a file that is not a load profile is refused with what it lacks",
          "[sensors][calibration]") {
  greentrain::test::TempDir dir;
  std::ofstream(dir / "x.csv")
      << "cpu_name,cpu_load,cores_used,duration\nAMD EPYC 8024P,10,16,30\n";
  CHECK_THROWS_WITH(read_load_profile(dir / "x.csv"), Catch::Contains("no 'rapl_energy' column"));
  std::ofstream(dir / "y.csv")
      << "cpu_name,cpu_load,cores_used,rapl_energy,duration\nNo Such CPU 1,10,16,1,30\n";
  CHECK_THROWS_WITH(read_load_profile(dir / "y.csv"), Catch::Contains("not in the TDP table"));
}
