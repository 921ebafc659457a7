#pragma once
// The compiled model as the kernels read it: plain structs and raw pointers
// into flat arrays (host memory on the CPU backend, device memory on CUDA).
// Written by host/model/compile.cpp; nothing here allocates or does I/O.
#include <cstdint>

namespace buildout {

// Fixed-size bounds keep per-path state in registers and small local arrays.
constexpr int kMaxFactors = 16;
constexpr int kMaxGlobalDraws = 160;
constexpr int kMaxSiteDraws = 256;
constexpr int kMaxActivities = 64;  // per site; activity sets are 64-bit masks
constexpr int kMaxDrivers = 64;     // per site
constexpr int kMaxSites = 64;
constexpr int kMaxPlayers = 8;
constexpr int kMaxMonths = 240;

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

struct DrawSpec {
  DistKind kind;
  std::int32_t factor;   // -1: no common factor
  double loading;        // rho
  double idiosyncratic;  // sqrt(1 - rho^2)
  double a, b, c;
  std::int32_t table_offset, table_size;
};

// Order of a site's own draws in its draw block; drivers, activity durations
// and risk events (occurs, delay, cost) follow in that order.
enum SiteDraw : int {
  kCostPerMw = 0,   // $M per MW of IT load
  kLaborIndex,
  kMaterialsIndex,
  kEquipmentIndex,
  kAllocation,      // share of accelerators on time, in (0, 1]
  kLateDelivery,    // months after ready for the rest
  kRampMonths,
  kAcceleratorPrice,  // $ per unit
  kSiteFixedDraws
};

// Global draw block: market draws, then one per region, then per player.
enum GlobalDraw : int {
  kPriceP0 = 0,   // $ per H100-eq GPU-hour at the valuation date
  kPriceDecline,  // per year
  kDemandGrowth,  // per year, continuous
  kElasticity,
  kGpuPriceIndex,
  kGlobalFixedDraws
};

enum PlayerDraw : int {
  kWacc = 0,
  kUtilisation,
  kPue,
  kTrainingMonths,
  kFrontierSuccess,
  kMonetisationPre,
  kMonetisationSuccess,
  kMonetisationFail,
  kPlayerDraws
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
};

struct PlayerSpec {
  std::int32_t site_begin, site_end;
  std::int32_t draw_begin;  // PlayerDraw block in the global draws
  double rent_share, om_share_per_year, frontier_threshold_h100eq;
};

struct ModelView {
  std::uint64_t seed;
  std::int32_t months;
  std::int32_t n_factors;
  const double* factor_cholesky;  // n_factors x n_factors, row-major, lower
  const DrawSpec* draws;          // global block, then each site's block
  const double* tables;
  std::int32_t n_global_draws;
  double existing_capacity_h100eq, hours_per_month, first_mover_tau_months;
  const double* planned_capacity_h100eq;  // per month, at mid-month
  std::int32_t online_report_month;   // capacity reported at this month boundary
  std::int32_t capex_window_begin, capex_window_end;  // months of 2025-26
  std::int32_t n_players;
  const PlayerSpec* players;
  std::int32_t n_sites;
  const SiteSpec* sites;
  const ActivitySpec* activities;
  const PredecessorSpec* predecessors;
  const EventSpec* events;
};

// Per-path results, structure of arrays: element [k][i] of path i in the
// batch sits at k * stride + i, so consecutive paths write consecutive words.
enum PlayerMetric : int {
  kNpvUsdB = 0,
  kRoi,
  kIrr,
  kPaybackMonths,
  kCapexUsdB,
  kCapexOverrunPct,
  kFirstReleaseMonth,
  kOnlineH100eq202612,
  kRevenueUsdB,
  kCapex2025_26UsdB,
  kPlayerMetrics
};

enum PlayerFlag : std::uint8_t {
  kFlagFrontierSuccess = 1,  // released within the horizon and good enough
  kFlagFirstSuccess = 2,     // the earliest successful release (ties share)
  kFlagHighestNpv = 4,
};

struct PathOutputsView {
  std::uint64_t stride;
  float* player_metrics;        // [metric * n_players + player]
  std::uint8_t* player_flags;   // [player]
  float* site_ready_month;      // [site]
  std::uint64_t* site_critical; // [site], bit a: activity a on the critical path
};

}  // namespace buildout
