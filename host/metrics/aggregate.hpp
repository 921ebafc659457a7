#pragma once
// Per-path results -> per-player and per-site tables.
#include <array>
#include <string>
#include <vector>

#include "host/engine/batch_partials.hpp"
#include "host/engine/simulate.hpp"
#include "column_summary.hpp"
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

// One batch of per-path results as the aggregation reads them: column k of
// player metrics at player_metrics + k * stride (k = metric * n_players +
// player), likewise flags per player and ready months per unit. `critical`
// holds each unit's critical-activity masks, or is null when the counts are
// already made (PathResults::critical_counts).
struct BatchColumns {
  std::uint64_t stride;
  const float* player_metrics;
  const std::uint8_t* player_flags;
  const float* site_ready_month;
  const std::uint64_t* site_critical;
};

// Paths [first, paths) of results kept in memory, as a batch (their criticality is counted already).
BatchColumns columns_from(const PathResults& r, std::uint64_t first);

// The reports' statistics from kSummaryPasses passes over every path's
// results, batch by batch (host/metrics/column_summary.hpp): the same bits
// whether the results are kept in memory or simulated again for each pass,
// and for any batch size, thread count or device.
class Aggregator {
 public:
  Aggregator(const CompiledModel& m, std::uint64_t paths, int threads);
  void add(int pass, std::uint64_t first, std::uint64_t n, const BatchColumns& batch);
  // The same batch reduced where it was computed (Backend::run_reduced): first the plan the
  // reduction needs, then what it gave. The statistics are the same, to the bit, as add()'s
  // on the same values.
  void plan(int pass, std::uint64_t first, std::uint64_t n, BatchPlan& out);
  void add_partials(int pass, std::uint64_t first, std::uint64_t n, const BatchPartials& partials);
  void finish_pass(int pass);
  // After the last pass; `critical_counts` replaces the counts from masks when given.
  Results results(const std::vector<std::vector<std::uint64_t>>* critical_counts = nullptr) const;

  const CompiledModel& model() const { return m_; }
  // Bytes it holds, for the memory estimate (independent of the path count).
  static std::uint64_t bytes(const CompiledModel& m);
  // Adds what `other` (another rank's aggregator, over other paths) gathered in `pass`.
  void merge(const Aggregator& other, int pass);
  // Its whole state, for a checkpoint; load() restores it into an aggregator made for the same model and paths.
  void save(ByteWriter& w) const;
  void load(ByteReader& r);
  // Throws std::runtime_error unless it is a state it can be in during `pass` after this process
  // counted `counted` paths of it (ColumnSummary::validate, and event counts within them).
  void validate(int pass, std::uint64_t counted) const;

 private:
  // A site row's ready and slip columns, and its count of paths ready by plan (pass 0).
  void add_site_row(int pass, std::uint64_t first, std::uint64_t n, const BatchColumns& b, int s, std::vector<float>& ready,
                    std::vector<float>& slip);

  const CompiledModel& m_;
  std::uint64_t paths_;
  int threads_;
  std::vector<ColumnSummary> columns_;  // player metric columns (metric * players + player), then per site row ready and slip
  std::vector<std::array<std::uint64_t, kPlayerProbabilities>> hits_;  // per player
  std::vector<std::uint64_t> on_time_;  // per site row
  std::vector<std::vector<std::uint64_t>> critical_;  // per unit, per activity
};

// Every pass over results kept in memory. threads <= 0: all cores.
Results aggregate(const CompiledModel& m, const PathResults& r, int threads);

}  // namespace buildout
