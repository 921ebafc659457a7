#pragma once
// Per-path results -> per-player and per-site tables.
#include <array>
#include <string>
#include <vector>

#include "../engine/simulate.hpp"
#include "statistics.hpp"

namespace buildout {

struct PlayerResult {
  std::string id, name;
  std::array<Summary, kPlayerMetrics> metrics;
  std::array<Proportion, kPlayerProbabilities> probabilities;  // by PlayerProbability
};

struct ActivityCriticality {
  std::string id;
  double index;  // share of paths on which the activity is critical
};

struct SiteResult {
  std::string id, name, player;
  double planned_ready_month;
  Summary ready_month, slip_months;
  Proportion ready_by_plan;
  std::vector<ActivityCriticality> criticality;
};

struct Results {
  std::vector<PlayerResult> players;
  std::vector<SiteResult> sites;
};

// threads <= 0: all cores.
Results aggregate(const CompiledModel& m, const PathResults& r, int threads);

}  // namespace buildout
