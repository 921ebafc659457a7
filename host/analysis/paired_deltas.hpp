#pragma once
// Differences between two scenarios run on common random numbers: path i of
// both runs shares every input the two configs have in common, so each
// difference is estimated from the paired per-path results. Beside each
// interval is the standard error two independent runs of the same size would
// give, measured from the same paths: var(a)/n + var(b)/n for a mean or a
// share, and from independent sections for a percentile.
#include <cstdint>
#include <string>
#include <vector>

#include "host/engine/simulate.hpp"
#include "host/model/compiled_model.hpp"

namespace buildout {

struct Delta {
  double base = 0, other = 0, delta = 0;  // other - base
  double lo = 0, hi = 0;                  // 95% interval of the delta
  double se_paired = 0, se_independent = 0;
  // How many times more paths independent runs would need for the same error.
  double variance_reduction() const;
};

Delta mean_delta(const float* base, const float* other, std::uint64_t n);
Delta share_delta(const std::uint8_t* base, const std::uint8_t* other, std::uint8_t flag, std::uint64_t n);
// A percentile's delta; its errors from kDeltaSections contiguous sections of the paths
// (batch means): the section deltas' spread, with Student's t for the interval.
Delta percentile_delta(const float* base, const float* other, std::uint64_t n, double level);
// The same for several levels, sorting each run's column and sections once.
std::vector<Delta> percentile_deltas(const float* base, const float* other, std::uint64_t n, const std::vector<double>& levels);
constexpr int kDeltaSections = 20;

struct DeltaRow {
  std::string kind;       // "player" or "site"
  std::string id;         // player or site row id
  std::string metric;     // column or probability name
  std::string statistic;  // mean, p10, p50, p90, or share
  std::string unit;
  Delta d;
};

// Every statistic both runs report, per player and per site row matched by id. The players
// (and owners) of the two models must be the same (UserError naming both configs otherwise);
// site rows and calendar columns that only one model has are left out.
std::vector<DeltaRow> paired_deltas(const CompiledModel& base_m, const PathResults& base, const CompiledModel& other_m,
                                    const PathResults& other);

// Throws UserError unless the two models have the same player and owner ids.
void require_same_players(const CompiledModel& base_m, const std::string& base_name, const CompiledModel& other_m,
                          const std::string& other_name);

}  // namespace buildout
