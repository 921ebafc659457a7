#pragma once
// Per-path results -> per-player and per-site tables.
#include <array>
#include <string>
#include <vector>

#include "../engine/simulate.hpp"
#include "statistics.hpp"

namespace buildout {

// The per-site rows of sites.csv, one line each: enumerator, report name,
// unit and meaning; sites.csv and summary.json name them from this list.
#define BUILDOUT_SITE_METRICS(X)                                                                            \
  X(kPlannedReadyMonth, "planned_ready_month", "months", "the planned ready date, with its month as `date`")  \
  X(kReadyMonth, "ready_month", "months", "the ready date R: mean and percentiles, each with its month as `date`") \
  X(kSlipMonths, "slip_months", "months", "R - planned ready: mean and percentiles")                          \
  X(kReadyByPlan, "p_ready_by_plan", "probability", "P(R <= planned ready), with its Wilson interval")          \
  X(kCriticalityIndex, "criticality_index", "share", "per activity: the share of paths on which it lies on a critical path to R")

enum SiteMetric : int {
#define BUILDOUT_ENUMERATOR(e, name, unit, meaning) e,
  BUILDOUT_SITE_METRICS(BUILDOUT_ENUMERATOR)
#undef BUILDOUT_ENUMERATOR
  kSiteMetrics
};

constexpr MetricInfo kSiteMetricInfo[kSiteMetrics] = {
#define BUILDOUT_INFO(e, name, unit, meaning) {name, unit, meaning},
    BUILDOUT_SITE_METRICS(BUILDOUT_INFO)
#undef BUILDOUT_INFO
};

struct PlayerResult {
  std::string id, name;
  std::string entity;  // what the row stands for; may be empty
  bool is_owner = false;  // an owner: sells compute, releases no models
  std::vector<Summary> metrics;  // by column of CompiledModel::player_columns
  std::array<Proportion, kPlayerProbabilities> probabilities;  // by PlayerProbability
  ProgrammeBooks books;  // what the player's books say of each capex window
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
  std::vector<PlayerColumn> player_columns;  // names of PlayerResult::metrics
  std::vector<std::string> capex_window_labels;  // the capex window columns follow the fixed metrics
  double required_revenue_margin = 0;
  std::vector<PlayerResult> players;
  std::vector<SiteResult> sites;
};

// Each path's ready month for a row of sites.csv (CompiledModel::site_rows):
// a unit's own, or the earliest or latest of a phased site's units.
std::vector<float> site_row_ready(const CompiledModel& m, const PathResults& r, int row);

// threads <= 0: all cores.
Results aggregate(const CompiledModel& m, const PathResults& r, int threads);

}  // namespace buildout
