#pragma once
// The fixed draws of each draw block, one line each:
//
//   X(enumerator, key, source, group)
//
// - enumerator: the draw's position in its block, by which the kernel reads it;
// - key: its config key path, relative to the block's owner (below); the owner's path and the key
//   name the draw's Philox stream (draw_stream), and so its numbers;
// - source: the Config field it is read from. Only host/model/draw_fields.hpp expands it, as an
//   expression over the block's source (`site`, `accelerator`, `market`, `player`: the Config
//   structs of host/config/config.hpp); the kernel never sees it;
// - group: its sensitivity group (host/analysis/input_groups.cpp). A site's "schedule" draws are
//   grouped by site, as "schedule.<site>".
//
// compile_model appends each block in this order (host/model/draw_fields.hpp), so the position,
// the stream key and the group come from the one line. A new draw is a line here, its parse
// (host/config/load_config.cpp) and its use in kernels/.

// A site's block (sites.<site>.): these, then its drivers, activity durations and risk events.
// A phase shares its site's: they are keyed by the site.
#define BUILDOUT_SITE_DRAWS(X)                                                                                             \
  X(kCostPerMw, "cost_per_mw_usd_m", site.cost_per_mw_usd_m, "construction_costs") /* $M per MW of IT load */              \
  X(kLaborIndex, "construction.labor_index", site.labor_index, "construction_costs")                                     \
  X(kMaterialsIndex, "construction.materials_index", site.materials_index, "construction_costs")                         \
  X(kEquipmentIndex, "construction.equipment_index", site.equipment_index, "construction_costs")                         \
  X(kAllocation, "supply.allocation", site.allocation, "schedule") /* share of accelerators on time, in (0, 1] */        \
  X(kLateDelivery, "supply.late_delivery_months", site.late_delivery_months, "schedule") /* months after ready for the rest */ \
  X(kRampMonths, "supply.ramp_months", site.ramp_months, "schedule")                                                     \
  /* $ per unit: the chip (server share), scaled by the GPU price index */                                               \
  X(kAcceleratorPrice, "accelerator.price_usd", accelerator.price_usd, "construction_costs")                             \
  /* $ per unit: networking, storage and CPU servers beside it */                                                        \
  X(kOtherItUsd, "accelerator.other_it_usd", accelerator.other_it_usd, "construction_costs")                             \
  /* $M per MW: equipment the tenant buys itself (generators, liquid cooling), own or lease */                           \
  X(kOwnerFurnished, "construction.owner_furnished_usd_m_per_mw", site.owner_furnished_usd_m_per_mw, "construction_costs")

// The global block (market.): these, then one per region, then each player's blocks.
#define BUILDOUT_GLOBAL_DRAWS(X)                                                                                 \
  X(kPriceP0, "price_p0_usd_per_hour", market.price_p0, "market.price_level") /* $ per H100-eq GPU-hour at the valuation date */ \
  X(kPriceDecline, "price_decline_per_year", market.price_decline, "market.price_decline") /* per year */     \
  X(kDemandGrowth, "demand_growth_per_year", market.demand_growth, "market.demand_growth") /* per year, continuous */ \
  X(kElasticity, "elasticity", market.elasticity, "market.elasticity")                                         \
  X(kGpuPriceIndex, "gpu_price_index", market.gpu_price_index, "construction_costs")

// A player's block in the global draws (players.<player>.), at PlayerSpec::draw_begin.
#define BUILDOUT_PLAYER_DRAWS(X)                                                            \
  X(kWacc, "wacc", player.wacc, "cost_of_capital")                                          \
  X(kUtilisation, "utilisation", player.utilisation, "monetisation")                        \
  X(kPue, "pue", player.pue, "power")                                                       \
  X(kTrainingMonths, "training_months", player.training_months, "frontier")                 \
  X(kFrontierSuccess, "frontier_success", player.frontier_success, "frontier")              \
  X(kMonetisationPre, "monetisation_pre", player.monetisation_pre, "monetisation")          \
  X(kMonetisationSuccess, "monetisation_success", player.monetisation_success, "monetisation") \
  X(kMonetisationFail, "monetisation_fail", player.monetisation_fail, "monetisation")

// A player's customer ceiling (players.<player>.), at PlayerSpec::ceiling_draw.
#define BUILDOUT_CEILING_DRAWS(X)                                                                                       \
  /* contracted, not yet recognised, at the data date */                                                                 \
  X(kBacklogUsdB, "customers.backlog_usd_b", player.customers.backlog_usd_b, "customers")                               \
  X(kBacklogAiShare, "customers.backlog_ai_share", player.customers.backlog_ai_share, "customers") /* of it, for AI capacity */ \
  /* recognised evenly over this many months from the data date */                                                       \
  X(kBacklogMonths, "customers.backlog_months", player.customers.backlog_months, "customers")                           \
  /* customers' spend beyond the backlog at the data date, growing with demand */                                        \
  X(kSpendUsdBPerYear, "customers.spend_usd_b_per_year", player.customers.spend_usd_b_per_year, "customers")

// A player's programme (players.<player>.), at PlayerSpec::programme_draw; each period's capex
// follows them.
#define BUILDOUT_PROGRAMME_DRAWS(X)                                                                                  \
  X(kUsdBPerGw, "programme.usd_b_per_gw", player.programme.usd_b_per_gw, "programme") /* all-in $B per GW of IT load */ \
  X(kLagMonths, "programme.lag_months", player.programme.lag_months, "programme") /* spend -> capacity online */

namespace buildout {

#define BUILDOUT_DRAW_ENUMERATOR(e, key, source, group) e,
enum SiteDraw : int { BUILDOUT_SITE_DRAWS(BUILDOUT_DRAW_ENUMERATOR) kSiteFixedDraws };
enum GlobalDraw : int { BUILDOUT_GLOBAL_DRAWS(BUILDOUT_DRAW_ENUMERATOR) kGlobalFixedDraws };
enum PlayerDraw : int { BUILDOUT_PLAYER_DRAWS(BUILDOUT_DRAW_ENUMERATOR) kPlayerDraws };
enum CeilingDraw : int { BUILDOUT_CEILING_DRAWS(BUILDOUT_DRAW_ENUMERATOR) kCeilingDraws };
enum ProgrammeDraw : int { BUILDOUT_PROGRAMME_DRAWS(BUILDOUT_DRAW_ENUMERATOR) kProgrammeFixedDraws };
#undef BUILDOUT_DRAW_ENUMERATOR

}  // namespace buildout
