#include "sensors/microarchitecture.hpp"

#include <array>

namespace greentrain::sensors::detail {

namespace {

struct ModelRange {
  int family;
  int first_model, last_model;
  std::string_view name;
};

// AMD's family 17h to 1Ah, by model range (AMD's revision guides and the kernel's CPU tables).
constexpr std::array<ModelRange, 11> amd = {{
    {0x17, 0x00, 0x2F, "Zen / Zen+"},
    {0x17, 0x30, 0xFF, "Zen 2"},
    {0x19, 0x00, 0x0F, "Zen 3"},
    {0x19, 0x10, 0x1F, "Zen 4"},
    {0x19, 0x20, 0x5F, "Zen 3"},
    {0x19, 0x60, 0x7F, "Zen 4"},
    {0x19, 0xA0, 0xAF, "Zen 4c"},
    {0x1A, 0x00, 0xFF, "Zen 5"},
    {0x18, 0x00, 0xFF, "Hygon Dhyana (Zen)"},
    {0x15, 0x00, 0xFF, "Bulldozer family"},
    {0x10, 0x00, 0xFF, "K10"},
}};

// Intel's family 6 models of servers and common desktops (Intel's SDM, Table 2-1).
struct IntelModel {
  int model;
  std::string_view name;
};
constexpr std::array<IntelModel, 24> intel = {{
    {0x3C, "Haswell"},        {0x3F, "Haswell"},         {0x45, "Haswell"},
    {0x46, "Haswell"},        {0x3D, "Broadwell"},       {0x47, "Broadwell"},
    {0x4F, "Broadwell"},      {0x56, "Broadwell"},       {0x4E, "Skylake"},
    {0x5E, "Skylake"},        {0x8E, "Kaby Lake"},       {0x9E, "Coffee Lake"},
    {0x6A, "Ice Lake"},       {0x6C, "Ice Lake"},        {0x7D, "Ice Lake"},
    {0x7E, "Ice Lake"},       {0x8F, "Sapphire Rapids"}, {0xCF, "Emerald Rapids"},
    {0xAD, "Granite Rapids"}, {0xAE, "Granite Rapids"},  {0x97, "Alder Lake"},
    {0x9A, "Alder Lake"},     {0xB7, "Raptor Lake"},     {0xBA, "Raptor Lake"},
}};

}  // namespace

std::string microarchitecture(std::string_view vendor, int family, int model, int stepping) {
  if (vendor == "AuthenticAMD" || vendor == "HygonGenuine") {
    for (const auto& r : amd)
      if (r.family == family && r.first_model <= model && model <= r.last_model)
        return std::string(r.name);
    return {};
  }
  if (vendor != "GenuineIntel" || family != 6) return {};
  // Model 55h is three server generations, told apart by stepping.
  if (model == 0x55)
    return stepping <= 4 ? "Skylake" : stepping <= 7 ? "Cascade Lake" : "Cooper Lake";
  for (const auto& m : intel)
    if (m.model == model) return std::string(m.name);
  return {};
}

}  // namespace greentrain::sensors::detail
