#pragma once
// A player's programme on one path (docs/MODEL.md 9): the capex the books report
// or guide, less what the named sites spend in the same period, is the fleet's
// spend, paid evenly over the period's months. Each month's spend is a cohort
// that comes online `lag` months later, ramping linearly over one month.
//
// An actual period's capex is what the books say, so its fleet spend may be
// negative: where the sampled named sites spend more than was reported, the
// excess is taken as financed outside the reported capex (a lease, an SPV):
// their cash in the period is scaled down to the books, month by month, and
// no fleet capacity comes of it. A guided period's fleet spend is never
// negative: the named sites may overrun the guidance.
#include <cmath>

#include "cashflow.hpp"
#include "model_view.hpp"
#include "platform.hpp"

namespace buildout {

// A site's capex in months [t0, t1) (0 <= t0 <= t1 <= months), exactly as
// add_site_spend spreads it: the facility's overlap with [begin, R] at its
// rate, the accelerators in the months of their delivery.
BO_HD double site_spend_in(const SiteState& s, int t0, int t1) {
  double spend = 0.0;
  const auto in = [&](double x) { return x >= t0 && x < t1; };
  if (s.facility_usd != 0.0) {
    const double span = s.ready - s.facility_begin;
    if (span <= 0.0) {
      if (in(floor(s.ready))) spend += s.facility_usd;
    } else {
      const double lo = s.facility_begin > t0 ? s.facility_begin : t0;
      const double hi = s.ready < t1 ? s.ready : t1;
      if (hi > lo) spend += s.facility_usd / span * (hi - lo);
    }
  }
  if (in(floor(s.ready))) spend += s.allocation * s.accelerator_usd;
  if (in(floor(s.late_at))) spend += (1.0 - s.allocation) * s.accelerator_usd;
  return spend;
}

// The spend of a cohort that buys capacity: a negative one (an actual period's
// spend below the named sites') buys none.
BO_HD double cohort_spend(double rate) { return rate > 0.0 ? rate : 0.0; }

// H100-eq one dollar of the player's programme buys on this path (its all-in $B per GW drawn);
// only for a player with a programme.
BO_HD double fleet_h100eq_per_usd(const PlayerSpec& pl, const double* g) {
  return pl.h100eq_per_gw / (g[pl.programme_draw + kUsdBPerGw] * 1e9);
}

// Months of a period inside the horizon: [lo, hi).
struct MonthSpan {
  int lo, hi;
};

BO_HD MonthSpan inside_horizon(const ProgrammePeriodSpec& p, int months) {
  return MonthSpan{p.begin > 0 ? p.begin : 0, p.end < months ? p.end : months};
}

// The fleet's spend per month in each of the player's periods: the period's
// AI capex (its share inside the horizon) less the named sites' spend there,
// never below zero. `sites` are the player's site states.
BO_HD void fleet_spend_rates(const ModelView& m, const PlayerSpec& pl, const double* g, const SiteState* sites, double* rate) {
  for (int k = pl.period_begin; k < pl.period_end; ++k) {
    const ProgrammePeriodSpec& period = m.programme_periods[k];
    const MonthSpan span = inside_horizon(period, m.months);
    double& r = rate[k - pl.period_begin];
    r = 0.0;
    if (span.hi <= span.lo) continue;
    const int months = span.hi - span.lo;
    const double budget = pl.ai_share * g[period.usd_b_draw] * 1e9 * months / (period.end - period.begin);
    double named = 0.0;
    for (int s = pl.site_begin; s < pl.site_end; ++s) named += site_spend_in(sites[s], span.lo, span.hi);
    r = (period.actual || budget > named) ? (budget - named) / months : 0.0;
  }
}

// A lag of n whole months and a fraction f.
struct Lag {
  int n;
  double f;
};
BO_HD Lag split_lag(double lag) {
  const int n = bounded_index(floor(lag), 0, kMaxMonths);
  return Lag{n, lag - n};
}

// Adds x to y for each cohort t in [lo, hi) as it comes online: the share
// online at mid-month u is clamp01(u - t - lag), so with lag = n + f the change
// is x (1 - f) at month t + n + 1 and x f at t + n + 2 (dropped past the horizon).
BO_HD void add_lagged(double* y, MonthSpan span, double x, double lag, int months) {
  const auto [n, f] = split_lag(lag);
  for (int t = span.lo; t < span.hi; ++t) {
    const int u = t + n + 1;
    if (u >= months) break;
    y[u] += x * (1.0 - f);
    if (u + 1 < months) y[u + 1] += x * f;
  }
}

// Capacity online at time T (a month boundary) from cohorts in [lo, hi) of
// x H100-eq each: cohort t reaches clamp01(T - (t + 0.5 + lag)) of it.
BO_HD double fleet_online_at(MonthSpan span, double x, double lag, double T) {
  double online = 0.0;
  for (int t = span.lo; t < span.hi; ++t) online += x * clamp01(T - (t + 0.5 + lag));
  return online;
}

// Book value at the horizon of the cohorts in [lo, hi), `rate` each, placed in
// service mid-ramp (t + 1 + lag): straight-line for the accelerator and the
// facility shares; a cohort not yet in service is held at cost.
BO_HD double fleet_book_value(const PlayerSpec& pl, MonthSpan span, double rate, double lag, int months) {
  double v = 0.0;
  for (int t = span.lo; t < span.hi; ++t) {
    const double placed = t + 1.0 + lag;
    if (placed > months) {
      v += rate;
      continue;
    }
    v += straight_line_book(rate * pl.accelerator_share, placed, months, pl.accelerator_life_months) +
         straight_line_book(rate * (1.0 - pl.accelerator_share), placed, months, pl.facility_life_months);
  }
  return v;
}

// The part of a cohort's capex acquired under finance leases (Microsoft counts
// such assets in its capex when they commence) is not paid when booked: it is
// paid in level monthly installments in arrears over the lease term at the
// lease rate (so their present value at that rate is what was booked). The
// installments themselves join the monthly costs in cost_walk.hpp.
//
// Its installment per dollar and what is still owed at the horizon follow from the config
// alone, so compile_model tables them (PlayerSpec::finance_installment_per_usd,
// ModelView::finance_owed_per_installment): the kernel would otherwise make some 60 pow calls a
// path, and a GPU's pow need not round as the host's does.

// For cohorts in [lo, hi), `financed` each: takes it off the month's cash spend and returns what
// is still owed at the horizon (the installments due from it on, at the lease rate), to come off
// the book value. owed: the player's row of ModelView::finance_owed_per_installment, which is 0
// for a cohort whose installments all fall within the horizon.
BO_HD double finance_fleet_leases(const PlayerSpec& pl, const double* owed, MonthSpan span, double financed, double* cash_spend) {
  const double installment = financed * pl.finance_installment_per_usd;
  double owed_at_horizon = 0.0;
  for (int t = span.lo; t < span.hi; ++t) {
    cash_spend[t] -= financed;
    owed_at_horizon += installment * owed[t];
  }
  return owed_at_horizon;
}

}  // namespace buildout
