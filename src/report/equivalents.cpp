#include "greentrain/report.hpp"

namespace greentrain {

namespace {

constexpr double km_per_mile = 1.609344;
constexpr double car_g_per_mile = 400.0;
constexpr double smartphone_g_per_charge = 8.22e-6 * 1e6;  // 8.22e-6 metric tons
constexpr double tree_kg_per_year = 21.77;

}  // namespace

std::vector<Equivalent> equivalents(GramsCo2e emissions) {
  double g = emissions.value;
  return {
      {.what = "km driven by an average petrol passenger car",
       .amount = g / (car_g_per_mile / km_per_mile),
       .constant = "248.5 g CO2 per km (400 g per mile)",
       .source = "US EPA, Greenhouse Gas Emissions from a Typical Passenger Vehicle "
                 "(2023 fact sheet)"},
      {.what = "smartphone charges",
       .amount = g / smartphone_g_per_charge,
       .constant = "8.22 g CO2 per full charge (8.22e-6 t)",
       .source = "US EPA, Greenhouse Gas Equivalencies Calculator, calculations and references "
                 "(smartphones charged)"},
      {.what = "tree-days of CO2 absorption",
       .amount = g / (tree_kg_per_year * 1000.0 / 365.0),
       .constant = "21.77 kg CO2 per tree per year (59.6 g per day)",
       .source = "European Environment Agency and Arbor Day Foundation, mature tree absorption"},
  };
}

}  // namespace greentrain
