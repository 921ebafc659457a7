#pragma once
// What drives each player's answer (README, "Sensitivity"):
// - the tornado: each input group held at its inputs' P10, then at their P90, the other
//   inputs random on the same paths (common random numbers); the swings of NPV P50 and
//   P(NPV > 0) between the two;
// - Sobol indices of NPV and of the event NPV > 0: first-order and total, per group, from
//   Saltelli's scheme (A, B, and A with one group from B) and Jansen's estimators.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "host/engine/simulate.hpp"
#include "input_groups.hpp"
#include "sobol_indices.hpp"

namespace buildout {

// Simulates one variant of the model (the same paths and seed for every variant).
using SimulateVariant = std::function<PathResults(const CompiledModel&)>;

struct TornadoBar {
  std::string player, group;
  double npv_p50_low = 0, npv_p50_high = 0;  // $B, with the group's inputs at P10 and at P90
  double p_low = 0, p_high = 0;              // P(NPV > 0) likewise
  double npv_swing() const;                   // |high - low|
  double p_swing() const;
};

struct TornadoResults {
  std::vector<double> npv_p50, p_npv_positive;  // per player, every input random
  std::vector<TornadoBar> bars;                  // per player, per group, in group order
};

// Groups without a held input (the common factors) are left out.
TornadoResults tornado(const CompiledModel& m, const std::vector<InputGroup>& groups, const SimulateVariant& simulate_variant);

struct SobolRow {
  std::string player, output, group;  // output: "npv_usd_b" or "npv_positive"
  SobolIndex index;
};

// Runs 2 + groups variants; bootstrap resamples seeded from the model's seed.
std::vector<SobolRow> sobol(const CompiledModel& m, const std::vector<InputGroup>& groups, const SimulateVariant& simulate_variant);

}  // namespace buildout
