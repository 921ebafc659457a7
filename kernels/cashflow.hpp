#pragma once
// Money on one path: a site's spend, capacity and residual value over time,
// and the discounting helpers shared by NPV and IRR. Time is in months from
// the valuation date; month t covers [t, t + 1) and its cash is taken at t + 1.
#include <cmath>

#include "model_view.hpp"
#include "platform.hpp"

namespace buildout {

struct SiteState {
  double ready;          // R, months
  double allocation;     // share of accelerators arriving at R
  double late_months;    // extra delay of the rest
  double ramp_months;
  double facility_begin;  // construction start (spend starts)
  double facility_usd;    // own: MW x cost/MW x (1 + overrun) + event costs; lease: 0
  double facility_base_usd;  // MW x cost/MW, before overrun and events (own only)
  double accelerator_usd;    // units x price x supply price index
  double accelerator_base_usd;
  double lease_rent_usd_per_month;  // at R, before escalation (lease only)
  double power_usd_per_mwh;
};

BO_HD double clamp01(double x) { return x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x); }

// Share of a site's accelerators online at time t: each tranche ramps
// linearly from its arrival over the ramp.
BO_HD double online_share(const SiteState& s, double t) {
  if (s.ramp_months <= 0.0)
    return (t >= s.ready ? s.allocation : 0.0) + (t >= s.ready + s.late_months ? 1.0 - s.allocation : 0.0);
  return s.allocation * clamp01((t - s.ready) / s.ramp_months) +
         (1.0 - s.allocation) * clamp01((t - s.ready - s.late_months) / s.ramp_months);
}

// Facility capex spent evenly over [begin, ready]; month t's share.
BO_HD double facility_spend_in_month(const SiteState& s, int t) {
  if (s.facility_usd == 0.0) return 0.0;
  const double span = s.ready - s.facility_begin;
  if (span <= 0.0) return floor(s.ready) == t ? s.facility_usd : 0.0;
  const double lo = t > s.facility_begin ? t : s.facility_begin;
  const double hi = t + 1.0 < s.ready ? t + 1.0 : s.ready;
  return hi > lo ? s.facility_usd * (hi - lo) / span : 0.0;
}

// Accelerators are paid on delivery, in the month that contains it.
BO_HD double accelerator_spend_in_month(const SiteState& s, int t) {
  double spend = 0.0;
  if (floor(s.ready) == t) spend += s.allocation * s.accelerator_usd;
  if (floor(s.ready + s.late_months) == t) spend += (1.0 - s.allocation) * s.accelerator_usd;
  return spend;
}

// Owned capital in service at time t (the base for operations and maintenance).
BO_HD double capital_in_service(const SiteState& s, double t) {
  double v = t >= s.ready ? s.facility_usd + s.allocation * s.accelerator_usd : 0.0;
  if (t >= s.ready + s.late_months) v += (1.0 - s.allocation) * s.accelerator_usd;
  return v;
}

BO_HD double straight_line_book(double cost, double placed, double at, double life_months) {
  if (placed > at) return 0.0;
  return life_months > 0.0 ? cost * clamp01(1.0 - (at - placed) / life_months) : 0.0;
}

// Book value at the horizon of what is owned; unfinished work is held at cost.
BO_HD double residual_value(const SiteState& s, const SiteSpec& spec, double horizon) {
  double v = 0.0;
  if (s.facility_usd > 0.0) {
    if (s.ready <= horizon)
      v += straight_line_book(s.facility_usd, s.ready, horizon, spec.facility_life_months);
    else if (s.ready > s.facility_begin)
      v += s.facility_usd * clamp01((horizon - s.facility_begin) / (s.ready - s.facility_begin));
  }
  v += straight_line_book(s.allocation * s.accelerator_usd, s.ready, horizon, spec.accelerator_life_months);
  v += straight_line_book((1.0 - s.allocation) * s.accelerator_usd, s.ready + s.late_months, horizon,
                          spec.accelerator_life_months);
  return v;
}

// f(v) = sum_t cf[t] v^(t+1) + residual v^H and df/dv, by Horner's rule;
// v is the monthly discount factor.
BO_HD double present_value(const double* cf, int months, double residual, double v, double* derivative) {
  // Coefficient of v^(t+1) is cf[t]; the residual joins the last month's, v^H.
  double f = 0.0, d = 0.0;
  for (int t = months - 1; t >= 0; --t) {
    d = d * v + f;
    f = f * v + cf[t] + (t == months - 1 ? residual : 0.0);
  }
  d = d * v + f;
  f = f * v;
  if (derivative) *derivative = d;
  return f;
}

BO_HD double monthly_discount_factor(double annual_rate) { return pow(1.0 + annual_rate, -1.0 / 12.0); }

constexpr double kIrrMin = -0.99;  // annual IRR is reported within [kIrrMin, kIrrMax]
constexpr double kIrrMax = 10.0;

// Annual IRR: the root of f in v, bracketed by the reporting bounds and found
// by Newton steps that fall back to bisection when they leave the bracket.
// Without a sign change the IRR lies beyond a bound and is reported at it.
BO_HD double internal_rate_of_return(const double* cf, int months, double residual) {
  double v_lo = monthly_discount_factor(kIrrMax), v_hi = monthly_discount_factor(kIrrMin);
  const double f_lo = present_value(cf, months, residual, v_lo, nullptr);
  const double f_hi = present_value(cf, months, residual, v_hi, nullptr);
  if (f_lo >= 0.0 && f_hi >= 0.0) return kIrrMax;
  if (f_lo <= 0.0 && f_hi <= 0.0) return kIrrMin;
  const bool rising = f_hi > 0.0;  // sign of f at v_hi
  double v = 0.5 * (v_lo + v_hi);
  for (int it = 0; it < 100; ++it) {
    double df;
    const double f = present_value(cf, months, residual, v, &df);
    if ((f > 0.0) == rising) v_hi = v; else v_lo = v;
    double next = df != 0.0 ? v - f / df : 0.5 * (v_lo + v_hi);
    if (!(next > v_lo && next < v_hi)) next = 0.5 * (v_lo + v_hi);
    if (fabs(next - v) < 1e-13) { v = next; break; }
    v = next;
  }
  return pow(v, -12.0) - 1.0;
}

}  // namespace buildout
