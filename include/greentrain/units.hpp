#pragma once
// Strong units: in this domain a unit mistake is a silent lie, so each quantity is its own type.
#include <chrono>
#include <compare>

namespace greentrain {

template <class Tag>
struct Quantity {
  double value{};

  constexpr Quantity() = default;
  constexpr explicit Quantity(double v) : value(v) {}

  constexpr Quantity& operator+=(Quantity o) { value += o.value; return *this; }
  constexpr Quantity& operator-=(Quantity o) { value -= o.value; return *this; }
  friend constexpr Quantity operator+(Quantity a, Quantity b) { return Quantity{a.value + b.value}; }
  friend constexpr Quantity operator-(Quantity a, Quantity b) { return Quantity{a.value - b.value}; }
  friend constexpr Quantity operator*(Quantity a, double k) { return Quantity{a.value * k}; }
  friend constexpr Quantity operator*(double k, Quantity a) { return Quantity{a.value * k}; }
  friend constexpr Quantity operator/(Quantity a, double k) { return Quantity{a.value / k}; }
  friend constexpr double operator/(Quantity a, Quantity b) { return a.value / b.value; }
  friend constexpr auto operator<=>(Quantity, Quantity) = default;
};

using Joules = Quantity<struct JoulesTag>;
using Watts = Quantity<struct WattsTag>;
using KilowattHours = Quantity<struct KilowattHoursTag>;
using GramsCo2e = Quantity<struct GramsCo2eTag>;
using GramsPerKwh = Quantity<struct GramsPerKwhTag>;
using Seconds = std::chrono::duration<double>;

inline constexpr double joules_per_kwh = 3.6e6;

constexpr KilowattHours to_kwh(Joules e) { return KilowattHours{e.value / joules_per_kwh}; }
constexpr Joules to_joules(KilowattHours e) { return Joules{e.value * joules_per_kwh}; }
constexpr Joules operator*(Watts p, Seconds t) { return Joules{p.value * t.count()}; }
constexpr Joules operator*(Seconds t, Watts p) { return p * t; }
constexpr Watts operator/(Joules e, Seconds t) { return Watts{e.value / t.count()}; }
constexpr GramsCo2e operator*(KilowattHours e, GramsPerKwh i) { return GramsCo2e{e.value * i.value}; }
constexpr GramsCo2e operator*(GramsPerKwh i, KilowattHours e) { return e * i; }
constexpr double to_kg(GramsCo2e m) { return m.value / 1000.0; }

}  // namespace greentrain
