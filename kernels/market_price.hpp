#pragma once
// The market price of an H100-eq GPU-hour on one path, month by month, which every player's
// revenue reads:
//   P(t) = P0 exp(-decline y) (D/S)^elasticity,  D = exp(growth y),
//   S = (existing + online) / (existing + planned),
// y the years from the valuation date at mid-month, online the capacity of every site and
// programme on the path, planned what the named sites' plans and the programmes' means give
// (ModelView::planned_capacity_h100eq).
#include <cmath>

#include "kernels/cashflow.hpp"
#include "kernels/model_view.hpp"
#include "kernels/platform.hpp"
#include "kernels/programme.hpp"

namespace buildout {

// Adds player pl's programme cohorts to the capacity changes: each month's spend buys capacity
// that comes online `lag` months later. fleet_rate: its spend per month in each of its periods.
BO_HD void add_fleet_capacity_change(const ModelView& m, const PlayerSpec& pl, const double* g, const double* fleet_rate, double* h100eq) {
  if (pl.period_begin == pl.period_end) return;
  const double h100eq_per_usd = fleet_h100eq_per_usd(pl, g);
  for (int k = pl.period_begin; k < pl.period_end; ++k) {
    const MonthSpan span = inside_horizon(m.programme_periods[k], m.months);
    add_lagged(h100eq, span, cohort_spend(fleet_rate[k - pl.period_begin]) * h100eq_per_usd, g[pl.programme_draw + kLagMonths], m.months);
  }
}

// Writes each month's price to price[0 .. months). fleet_rate: every programme's spend per month
// in each of its periods, player p's from fleet_rate + its period_begin (fleet_spend_rates).
//
// The trend P0 exp((e growth - decline) y) at mid-months is geometric; S^-e changes only in the
// months where capacity or the plan moves, so it is recomputed only there. `price` holds the
// month-to-month changes of the capacity online first (every site, then every programme), and
// each month's price replaces its change.
BO_HD void market_price(const ModelView& m, const double* g, const SiteState* sites, const double* fleet_rate, double* price) {
  const int H = m.months;
  for (int t = 0; t < H; ++t) price[t] = 0.0;
  for (int s = 0; s < m.n_sites; ++s) add_site_capacity_change(sites[s], site_h100eq(m.sites[s]), price);
  for (int p = 0; p < m.n_players; ++p) add_fleet_capacity_change(m, m.players[p], g, fleet_rate + m.players[p].period_begin, price);
  const double trend_per_year = g[kElasticity] * g[kDemandGrowth] - g[kPriceDecline];
  const double trend_step = exp(trend_per_year / 12.0);
  double trend = g[kPriceP0] * exp(trend_per_year / 24.0);
  double total = 0.0, supply_before = -1.0, supply_factor = 1.0;
  for (int t = 0; t < H; ++t) {
    total += price[t];
    const double supply = (m.existing_capacity_h100eq + total) / (m.existing_capacity_h100eq + m.planned_capacity_h100eq[t]);
    if (supply != supply_before) {
      supply_before = supply;
      supply_factor = exp(-g[kElasticity] * log(supply));
    }
    price[t] = trend * supply_factor;
    trend *= trend_step;
  }
}

}  // namespace buildout
