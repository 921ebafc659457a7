#pragma once
// Where each recorded outcome falls in the model's distribution of it.
#include <string>
#include <vector>

#include "host/config/outcomes.hpp"
#include "host/engine/simulate.hpp"

namespace buildout {

struct BacktestRow {
  Outcome outcome;
  std::string recorded;  // as the model measures it: "2025-09" or a value
  double percentile;     // mid-rank: (P(X < lo) + P(X < hi)) / 2 over the recorded month [lo, hi), or at the value
  bool inside_p10_p90;
  double p10, p50, p90;  // the model's distribution of it
};

// Throws ConfigError, naming the outcome's FILE:LINE:COL, when an outcome names a site row,
// player or metric the model lacks: called before the paths are simulated.
void check_outcomes(const CompiledModel& m, const std::vector<Outcome>& outcomes);

// Throws as check_outcomes does.
std::vector<BacktestRow> backtest(const CompiledModel& m, const PathResults& r, const std::vector<Outcome>& outcomes);

}  // namespace buildout
