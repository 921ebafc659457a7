#pragma once
// The compiled model as the kernels read it: plain structs and raw pointers
// into flat arrays (host memory on the CPU backend, device memory on CUDA).
// Written by host/model/compile_model.cpp; nothing here allocates or does I/O.
#include <cstdint>

#include "kernels/draw_blocks.hpp"
#include "kernels/limits.hpp"

namespace buildout {

enum class DistKind : std::int32_t {
  Fixed = 0,   // a                      (consumes no random number)
  Uniform,     // a + (b - a) u
  Triangular,  // min a, max b, c = F(mode) = (mode - min) / (max - min)   (closed-form quantile)
  Normal,      // a + b z
  Lognormal,   // exp(a + b z)
  Bernoulli,   // 1 if z < a (a = Phi^-1(p), set on the host), or u <= b (b = p) without a loading
  GridTable,   // quantiles at u = k/(n-1), linear between (PERT, beta)
  PairTable,   // (u_k, x_k) pairs, linear between (empirical)
  Discrete,    // (cumulative p_k, x_k) pairs, step
};

// Where a path's random numbers come from: Philox streams (Monte Carlo), or scrambled Sobol'
// points, path i being point i (quasi-Monte Carlo).
enum Sampler : std::int32_t { kPhilox = 0, kSobol = 1 };

struct DrawSpec {
  std::uint64_t stream;  // its random numbers' Philox stream: a hash of its config key path
  DistKind kind;
  std::int32_t factor;   // -1: no common factor
  double loading;        // rho
  double idiosyncratic;  // sqrt(1 - rho^2)
  double a, b, c;
  std::int32_t table_offset, table_size;
  std::int32_t dimension;  // its Sobol' dimension (--sampler sobol; host/model/sobol_sampler.hpp)
};

struct PredecessorSpec {
  std::int32_t activity;  // index within the site
  double lag_months;
};

struct ActivitySpec {
  std::uint64_t driver_mask;  // bit k: multiplied by the site's driver k
  std::int32_t pred_begin, pred_end;  // into ModelView::predecessors
};

struct EventSpec {
  std::uint64_t hits;  // activities whose finish the delay extends
};

struct SiteSpec {
  std::int32_t player;
  std::int32_t own;  // 1 own, 0 lease
  std::int32_t region_draw;  // index into the global block
  std::int32_t draw_begin, n_drivers, n_activities, n_events;
  std::int32_t activity_begin;  // into ModelView::activities (topological order)
  std::int32_t event_begin;     // into ModelView::events
  std::int32_t terminal;        // activity index within the site
  double it_mw, units, h100eq_per_unit, kw_per_unit;
  double start_month, planned_ready_month;  // months from the valuation date
  double labor_share, materials_share, equipment_share, escalation_per_month;
  double lease_yield, lease_escalator, lease_term_months;
  double facility_life_months, accelerator_life_months;
  // A phase may start no earlier than an earlier unit's ready date plus a lag.
  std::int32_t after_unit;  // -1: none
  double after_lag_months;
  // Online before the data date ([actuals]): ready then, every accelerator in place.
  std::int32_t online_actual;
  double actual_ready_month;
};

// A span of a player's capex in months from the valuation date, [begin, end),
// not clipped to the horizon: its amount is spread evenly over all of it.
struct ProgrammePeriodSpec {
  std::int32_t begin, end;
  std::int32_t usd_b_draw;  // index into the global draws: the player's total capex in $B
  std::int32_t actual;      // 1: reported before the data date; the period's capex is pinned to it
};

struct PlayerSpec {
  std::int32_t site_begin, site_end;
  std::int32_t draw_begin;  // PlayerDraw block in the global draws
  double rent_share, om_share_per_year, frontier_threshold_h100eq;
  // Programme (docs/MODEL.md 9); period_begin == period_end: none.
  std::int32_t period_begin, period_end;  // into ModelView::programme_periods
  std::int32_t programme_draw;            // ProgrammeDraw block in the global draws
  std::int32_t programme_region_draw;     // its power price, in the global draws
  double ai_share;                        // of the books' capex
  double h100eq_per_gw;                   // of the programme's accelerator
  double kw_per_h100eq;
  double accelerator_share, accelerator_life_months, facility_life_months;
  // The share of its capex acquired under finance leases, paid over the lease (programme.hpp).
  double finance_lease_share, finance_lease_monthly_rate;
  std::int32_t finance_lease_months;
  double finance_installment_per_usd;  // level_installment_per_usd at that rate and term
  // The frontier release before the data date ([actuals]); none: sampled, after it.
  std::int32_t release_actual, release_unlocked;
  double actual_release_month;
  // Flagship releases on a cadence (release_cadence_months): the frontier release is the first
  // one once the threshold's training run is done. -1: no cadence.
  std::int32_t cadence_draw, phase_draw;  // global draws: months between releases; the grid's phase when none is reported
  std::int32_t reported_begin, reported_end;  // into ModelView::reported_releases; the last is the grid's anchor
  std::int32_t release_streams_begin;  // with a cadence: kMaxEligibleReleases - 1 streams in ModelView::release_streams
  std::int32_t ceiling_draw;  // CeilingDraw block in the global draws; -1: revenue has no ceiling
  std::int32_t is_owner;      // 1: an owner (sells compute; no releases, not ranked by NPV)
  std::uint32_t contract_mask;  // bit k: it buys or sells under contract k
};

// A compute contract on one schedule unit: the buyer takes `share` of its
// online capacity from the unit's entity (the seller) for term_months from
// max(start_month, the unit's ready date), paying per H100-eq hour.
struct ContractSpec {
  std::int32_t buyer, seller, unit;
  std::int32_t price_draw;  // in the global draws; -1: the path's market price
  double share, start_month, term_months;
};

// A site's rent escalation, (1 + lease_escalator)^k, is tabled for every lease year a lease can
// have (ModelView::lease_escalation, cost_walk.hpp): rent is paid in years 0 .. term - 1, and one
// more covers a month's mid-point rounding onto the term's end.
constexpr int kLeaseEscalationYears = kMaxLeaseTermYears + 1;

// The model's flat arrays, one line each: element type and name. ModelView
// points into them; CompiledModel holds them as std::vectors of the same
// names, and the CUDA backend mirrors each in device memory.
#define BUILDOUT_MODEL_ARRAYS(X)                                                 \
  X(double, factor_cholesky)         /* n_factors x n_factors, row-major, lower */ \
  X(std::uint64_t, factor_streams)   /* each factor's Philox stream */             \
  X(DrawSpec, draws)                 /* global block, then each site's block */    \
  X(double, tables)                  /* quantile tables the draws point into */    \
  X(double, planned_capacity_h100eq) /* per month, at mid-month */                 \
  X(PlayerSpec, players)                                                         \
  X(SiteSpec, sites)                                                             \
  X(ActivitySpec, activities)        /* per site, in topological order */          \
  X(PredecessorSpec, predecessors)                                               \
  X(EventSpec, events)                                                           \
  X(ProgrammePeriodSpec, programme_periods)  /* per player, in time order */ \
  X(double, reported_releases)               /* per player: reported release months, in order */ \
  X(std::uint64_t, release_streams)          /* per player on a cadence: the success streams of its 2nd, 3rd, ... eligible release */ \
  X(ContractSpec, contracts)                                                     \
  X(double, lease_escalation)                /* per site: (1 + lease_escalator)^k, k < kLeaseEscalationYears */ \
  X(double, finance_owed_per_installment)    /* per player and month t: owed_per_installment for a cohort of t at the horizon */ \
  X(std::int32_t, factor_dimensions)         /* each factor's Sobol' dimension */ \
  X(std::int32_t, release_dimensions)        /* each release stream's */ \
  X(std::uint32_t, sobol_directions)         /* 32 direction numbers per dimension (--sampler sobol) */ \
  X(std::uint32_t, sobol_shifts)             /* each dimension's digital shift */

// Calendar metrics, from [report]: capex and revenue summed over months
// [begin, end), and online capacity at month boundaries, in months from the start.
struct CalendarSpec {
  std::int32_t n_capex_windows, capex_window_begin[kMaxCapexWindows], capex_window_end[kMaxCapexWindows];
  std::int32_t n_revenue_windows, revenue_window_begin[kMaxCapexWindows], revenue_window_end[kMaxCapexWindows];
  std::int32_t n_release_windows, release_window_begin[kMaxCapexWindows], release_window_end[kMaxCapexWindows];
  std::int32_t n_online_reports, online_report_month[kMaxOnlineReports];
  // Cumulative net cash at the end of months every - 1, 2 every - 1, ...: n_cash_reports columns.
  std::int32_t cash_every_months, n_cash_reports;
  // Each kind's first column among the player metrics, where player_columns() lays them out
  // (host/model/player_columns.cpp): after the kFixedPlayerMetrics ones, capex windows, revenue
  // windows, release windows, online months, then cumulative cash.
  std::int32_t capex_column, revenue_column, release_column, online_column, cash_column;
};

struct ModelView {
  std::uint64_t seed;
  std::int32_t months;
  double data_date_month;  // the information cut, in months from the valuation date
  std::int32_t n_factors;
  std::int32_t n_global_draws;
  double existing_capacity_h100eq, hours_per_month, first_mover_tau_months;
  double required_revenue_margin;
  CalendarSpec calendar;  // its columns follow the kFixedPlayerMetrics ones
  std::int32_t n_players;  // players, then owners
  std::int32_t n_sites;
  std::int32_t n_contracts;
  std::int32_t sampler;  // kPhilox or kSobol
#define BUILDOUT_VIEW_POINTER(type, name) const type* name;
  BUILDOUT_MODEL_ARRAYS(BUILDOUT_VIEW_POINTER)
#undef BUILDOUT_VIEW_POINTER
};

// The per-player metrics, one line each: enumerator, report name, unit and
// meaning. The kernel's output layout, the aggregation and the reports all
// follow this list; a test holds the README's metric list to it. After them
// come the calendar metrics that [report] asks for (capex_<window>_usd_b,
// revenue_<window>_usd_b, last_release_<window>_month, online_h100eq_<month>, cash_<month>_usd_b), named by
// host/model/player_columns.cpp.
#define BUILDOUT_PLAYER_METRICS(X)                                                                                 \
  X(kNpvUsdB, "npv_usd_b", "$B", "NPV at the player's WACC, book value at the horizon included")                  \
  X(kRoi, "roi", "ratio", "(undiscounted net cash + residual value) / capex")                                      \
  X(kIrr, "irr", "per year", "annual IRR, reported within [-99%, 1000%]")                                           \
  X(kPaybackMonths, "payback_months", "months", "months until cumulative net cash turns positive, censored at the horizon") \
  X(kCapexUsdB, "capex_usd_b", "$B", "capex paid within the horizon")                                              \
  X(kCapexOverrunPct, "capex_overrun_pct", "%", "the named sites' capex over their base estimate")                  \
  X(kFirstReleaseMonth, "first_release_month", "months", "first frontier release, censored at the horizon")         \
  X(kRevenueUsdB, "revenue_usd_b", "$B", "revenue within the horizon")                                             \
  X(kOpexUsdB, "opex_usd_b", "$B", "operating cost within the horizon: power, O&M and lease rent")                \
  X(kRequiredRevenueUsdB, "required_revenue_usd_b", "$B per year", "level annual revenue at full capacity that makes NPV zero, keeping the required margin") \
  X(kRevenueOverCeilingUsdB, "revenue_over_ceiling_usd_b", "$B", "revenue the capacity would earn above what customers can pay ([players.<id>.customers]), not earned")

// Per-path results, structure of arrays: element [k][i] of path i in the
// batch sits at k * stride + i, so consecutive paths write consecutive words.
enum PlayerMetric : int {
#define BUILDOUT_ENUMERATOR(e, name, unit, meaning) e,
  BUILDOUT_PLAYER_METRICS(BUILDOUT_ENUMERATOR)
#undef BUILDOUT_ENUMERATOR
  kFixedPlayerMetrics
};

struct MetricInfo {
  const char* name;
  const char* unit;
  const char* meaning;
};

constexpr MetricInfo kPlayerMetricInfo[kFixedPlayerMetrics] = {
#define BUILDOUT_INFO(e, name, unit, meaning) {name, unit, meaning},
    BUILDOUT_PLAYER_METRICS(BUILDOUT_INFO)
#undef BUILDOUT_INFO
};

// The per-player probabilities, one line each: enumerator, report name and
// the event counted. The kernel sets bit k of a path's player flags when
// event k happens on it; aggregation counts each bit into a Wilson interval.
#define BUILDOUT_PLAYER_PROBABILITIES(X)                                                                  \
  X(kProbNpvPositive, "p_npv_positive", "NPV > 0")                                                            \
  X(kProbPaybackWithinHorizon, "p_payback_within_horizon", "cumulative net cash turns positive within the horizon") \
  X(kProbFrontierSuccess, "p_frontier_success", "a frontier release within the horizon that unlocks new revenue") \
  X(kProbFirstSuccess, "p_first_successful_release", "the earliest successful release of all players (ties share)") \
  X(kProbHighestNpv, "p_highest_npv", "the highest NPV of all players (ties share)")                            \
  X(kProbRevenueAboveRequired, "p_revenue_above_required", "revenue, as a level annual figure of equal present value, at or above the required revenue") \
  X(kProbRevenueCapped, "p_revenue_capped", "revenue reaches the customers' ceiling in some month")

enum PlayerProbability : int {
#define BUILDOUT_ENUMERATOR(e, name, event) e,
  BUILDOUT_PLAYER_PROBABILITIES(BUILDOUT_ENUMERATOR)
#undef BUILDOUT_ENUMERATOR
  kPlayerProbabilities
};
static_assert(kPlayerProbabilities <= 8, "player flags are one byte per path");

struct PlayerProbabilityInfo {
  const char* name;
  const char* event;
};

constexpr PlayerProbabilityInfo kPlayerProbabilityInfo[kPlayerProbabilities] = {
#define BUILDOUT_INFO(e, name, event) {name, event},
    BUILDOUT_PLAYER_PROBABILITIES(BUILDOUT_INFO)
#undef BUILDOUT_INFO
};

constexpr std::uint8_t flag_of(PlayerProbability k) { return static_cast<std::uint8_t>(1u << k); }

struct PathOutputsView {
  std::uint64_t stride;
  float* player_metrics;        // [metric * n_players + player]
  std::uint8_t* player_flags;   // [player], bit k: PlayerProbability k happened
  float* site_ready_month;      // [site]
  std::uint64_t* site_critical; // [site], bit a: activity a on the critical path
};

}  // namespace buildout
