#pragma once
// Money on one path: a site's state after its schedule is drawn, its online
// capacity over time, its spending, and the discounting shared by NPV and IRR.
// Time is in months from the valuation date; month t covers [t, t + 1), flows
// within it are taken at mid-month t + 0.5 and its cash at t + 1.
#include <cmath>
#include <cstdint>

#include "model_view.hpp"
#include "platform.hpp"

namespace buildout {

struct SiteState {
  double ready;           // R, months
  double late_at;         // R + late delivery: the rest of the accelerators arrive
  double allocation;      // share of accelerators arriving at R
  double inv_ramp;        // 1 / ramp months; 0 means no ramp (online at arrival)
  double facility_begin;  // construction start: spending starts
  double facility_usd;    // own: MW x cost/MW x (1 + overrun) + event costs; lease: 0
  double accelerator_usd;    // units x price x supply price index
  double lease_rent_usd_per_month;  // at R, before escalation (lease only)
  // The months [capacity_from, capacity_until) in which its online share changes (set_capacity_months),
  // those in which its fixed costs step (set_cost_months, cost_walk.hpp), and, moved on by its
  // owner's CostWalk, the next month in which they can change, a lessee's next lease anniversary
  // and the lease year it pays rent for. Months and lease years fit 8 bits (kMaxMonths,
  // kLeaseEscalationYears), which keeps the state at nine doubles' room.
  std::uint8_t capacity_from, capacity_until, late_month, lease_end_month, cost_month, rent_month, rent_year;
};
// What follows from the spec and the global draws is not kept per site, but made where it is used.

// H100-eq of all the site's units.
BO_HD double site_h100eq(const SiteSpec& spec) { return spec.units * spec.h100eq_per_unit; }

// The power bill of all its units online, $ an hour, before utilisation and PUE.
BO_HD double site_power_usd_per_hour(const SiteSpec& spec, const double* g) {
  return spec.units * spec.kw_per_unit * 1e-3 * g[spec.region_draw];
}

BO_HD double clamp01(double x) { return x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x); }

// Share of a site's accelerators online at time t: each tranche ramps
// linearly from its arrival over the ramp.
BO_HD double online_share(const SiteState& s, double t) {
  if (s.inv_ramp == 0.0) return (t >= s.ready ? s.allocation : 0.0) + (t >= s.late_at ? 1.0 - s.allocation : 0.0);
  return s.allocation * clamp01((t - s.ready) * s.inv_ramp) + (1.0 - s.allocation) * clamp01((t - s.late_at) * s.inv_ramp);
}

// x truncated to an int in [lo, hi]; NaN gives lo. Every month index the
// kernels compute from a double goes through here, so no value that was not
// bounded first is cast or used to index an array, whatever the inputs.
BO_HD int bounded_index(double x, int lo, int hi) { return static_cast<int>(clamp_to(x, lo, hi)); }

// First month in [begin, end) whose mid-point is at or after x, or end.
// x - 0.5 is exact for x >= 0.25, and below that the answer is begin anyway.
BO_HD int first_month_from(double x, int begin, int end) { return bounded_index(ceil(x - 0.5), begin, end); }

// First month whose mid-point is at or after R: nothing is online before it.
BO_HD int first_online_month(const SiteState& s) { return first_month_from(s.ready, 0, kMaxMonths); }

// The share once both tranches have arrived and ramped.
BO_HD double full_online_share(const SiteState& s) { return online_share(s, INFINITY); }

// Adds x to y[t] for t in [begin, end): a site's steady months, where the
// per-month formula would give x every month.
BO_HD void add_constant(double* y, int begin, int end, double x) {
  for (int t = begin; t < end; ++t) y[t] += x;
}

// The share is non-decreasing in t and reaches the full share for good, so
// only the months of arrival and ramp-up change it: from the first month whose
// mid-point is at or after R, to the one after its mid-point share is full.
BO_HD void set_capacity_months(SiteState& s, int months) {
  const double full = full_online_share(s);
  double before = 0.0;
  int t = first_online_month(s);
  s.capacity_from = static_cast<std::uint8_t>(t);
  for (; t < months && before != full; ++t) before = online_share(s, t + 0.5);
  s.capacity_until = static_cast<std::uint8_t>(t);
}

// The share at mid-month t, online_share(s, t + 0.5) to the bit: none before capacity_from, the
// full share from capacity_until on, where online_share's clamps give exactly 1, and the formula
// only in the months between. The full share is full_online_share's value written out, not
// called: this runs for every contract in every month, where the call would evaluate
// online_share again each time.
BO_HD double online_share_in_month(const SiteState& s, int t) {
  if (t < s.capacity_from) return 0.0;
  if (t >= s.capacity_until) return s.allocation + (1.0 - s.allocation);
  return online_share(s, t + 0.5);
}

// The change of a site's online share at mid-month t from the month before, for t in
// [capacity_from, capacity_until): the level at month t is the sum of the changes up to t.
BO_HD double online_share_change(const SiteState& s, int t) {
  const double before = t == s.capacity_from ? 0.0 : online_share(s, (t - 1) + 0.5);
  return online_share(s, t + 0.5) - before;
}

// Adds a site's online capacity (x full_h100eq) at mid-month to the given row as changes
// from the month before.
BO_HD void add_site_capacity_change(const SiteState& s, double full_h100eq, double* h100eq) {
  double before = 0.0;
  for (int t = s.capacity_from; t < s.capacity_until; ++t) {
    const double share = online_share(s, t + 0.5);
    h100eq[t] += full_h100eq * (share - before);
    before = share;
  }
}

// Adds the site's capex to spend[t]: the facility evenly over [begin, R],
// accelerators on delivery in the month that contains it. Cash before month 0 is sunk.
BO_HD void add_site_spend(const SiteState& s, int months, double* spend) {
  if (s.facility_usd != 0.0) {
    const double span = s.ready - s.facility_begin;
    if (span <= 0.0) {
      const double m = floor(s.ready);
      if (m >= 0.0 && m < months) spend[static_cast<int>(m)] += s.facility_usd;
    } else {
      const double rate = s.facility_usd / span;
      // Only the first and last months can be partial; those between get rate x 1.
      const auto add_part = [&](int t) {
        const double lo = t > s.facility_begin ? t : s.facility_begin;
        const double hi = t + 1.0 < s.ready ? t + 1.0 : s.ready;
        if (hi > lo) spend[t] += rate * (hi - lo);
      };
      const int t0 = bounded_index(floor(s.facility_begin), 0, months), t1 = bounded_index(floor(s.ready), -1, months - 1);
      if (t0 <= t1) {
        add_part(t0);
        add_constant(spend, t0 + 1, t1, rate);
        if (t1 > t0) add_part(t1);
      }
    }
  }
  const double m1 = floor(s.ready), m2 = floor(s.late_at);
  if (m1 >= 0.0 && m1 < months) spend[static_cast<int>(m1)] += s.allocation * s.accelerator_usd;
  if (m2 >= 0.0 && m2 < months) spend[static_cast<int>(m2)] += (1.0 - s.allocation) * s.accelerator_usd;
}

// The share of the success premium a release `lag` months after the first
// successful one keeps: exp(-lag / tau), and at tau = 0 its limit, all of it
// for the first (lag 0, ties included) and none after.
BO_HD double first_mover_share(double lag, double tau) { return tau > 0.0 ? exp(-lag / tau) : (lag > 0.0 ? 0.0 : 1.0); }

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
  v += straight_line_book((1.0 - s.allocation) * s.accelerator_usd, s.late_at, horizon, spec.accelerator_life_months);
  return v;
}

// Present value f(v) = sum_k c[k-1] v^k, k = 1..4 * blocks, and df/dv, with v
// the monthly discount factor. The caller folds the horizon's book value into
// the last month's coefficient and zero-pads c to whole blocks of four.
// Four interleaved Horner chains in w = v^4 (c[4j + r] goes with v^(r+1) w^j)
// keep four multiply-adds in flight where one chain would wait on each.
constexpr int kPvLanes = 4;

BO_HD int pv_blocks(int months) { return (months + kPvLanes - 1) / kPvLanes; }

// The chains of one present value, fed a block at a time from the last. kInflows: the present
// value of the positive coefficients alone (the inflows).
template <bool kInflows>
struct HornerChains {
  double p0 = 0.0, p1 = 0.0, p2 = 0.0, p3 = 0.0, d0 = 0.0, d1 = 0.0, d2 = 0.0, d3 = 0.0;

  BO_HD static double term(double x) { return kInflows ? (x > 0.0 ? x : 0.0) : x; }
  BO_HD void add_block(const double* cj, double w) {
    d0 = d0 * w + p0; p0 = p0 * w + term(cj[0]);
    d1 = d1 * w + p1; p1 = p1 * w + term(cj[1]);
    d2 = d2 * w + p2; p2 = p2 * w + term(cj[2]);
    d3 = d3 * w + p3; p3 = p3 * w + term(cj[3]);
  }
  BO_HD double value(double v, double v2, double w) const { return v * p0 + v2 * p1 + v2 * v * p2 + w * p3; }
  // d/dv [v^r P(w)] = v^(r-1) (r P(w) + 4 w P'(w))
  BO_HD double derivative(double v, double v2, double w) const {
    return (p0 + 4.0 * w * d0) + v * (2.0 * p1 + 4.0 * w * d1) + v2 * (3.0 * p2 + 4.0 * w * d2) + v2 * v * (4.0 * p3 + 4.0 * w * d3);
  }
};

BO_HD double present_value(const double* c, int blocks, double v, double* derivative) {
  const double v2 = v * v, w = v2 * v2;
  HornerChains<false> all;
  for (int j = blocks - 1; j >= 0; --j) all.add_block(c + kPvLanes * j, w);
  if (derivative) *derivative = all.derivative(v, v2, w);
  return all.value(v, v2, w);
}

// The present values at v of all the flows and of the inflows alone, with their derivatives, in
// one pass over c: the NPV and the IRR's first step need both at the WACC. Each is the same to the
// bit as its own pass.
struct PresentValues {
  double all, d_all, inflows, d_inflows;
};

BO_HD PresentValues present_values(const double* c, int blocks, double v) {
  const double v2 = v * v, w = v2 * v2;
  HornerChains<false> all;
  HornerChains<true> in;
  for (int j = blocks - 1; j >= 0; --j) {
    all.add_block(c + kPvLanes * j, w);
    in.add_block(c + kPvLanes * j, w);
  }
  return PresentValues{all.value(v, v2, w), all.derivative(v, v2, w), in.value(v, v2, w), in.derivative(v, v2, w)};
}

BO_HD double monthly_discount_factor(double annual_rate) { return pow(1.0 + annual_rate, -1.0 / 12.0); }

constexpr double kIrrMin = -0.99;  // annual IRR is reported within [kIrrMin, kIrrMax]
constexpr double kIrrMax = 10.0;

// Annual IRR: a root of f in v inside the reporting bounds.
// 1. One Newton step in x = ln v on h(x) = ln P(v) - ln N(v), P and N the present values of the
//    inflows and of the outflows (log_ratio_step), from v_start: the WACC's factor, where the
//    NPV's pass (present_values) has found f, P and their derivatives.
// 2. Plain Newton on f from there. On base.toml 99.5% of IRRs converge here, 98.7% after at
//    most four present values (the first at step 1's point).
// 3. Otherwise a safeguarded Newton (rtsafe) on the bracket of the reporting bounds, from where
//    plain Newton stopped: Newton steps, or a bisection whenever Newton would leave the bracket
//    or not halve the step before last.
// Without step 1, Newton on f (a polynomial of degree 96 in v) overshoots the bracket from the
// WACC and leaves 17% of base.toml's IRRs to rtsafe, at about 20 present values each. A GPU warp
// waits for its slowest path, so almost every warp would pay that: its slowest of 32 paths takes
// about 31 present values an entity without the step, 7.5 with it. Without a sign change at the
// bounds the IRR lies beyond one and is reported at it. With several roots (unusual cash flows)
// the one Newton reaches from step 1 is found.
constexpr double kIrrTolerance = 1e-10;  // on v; the annual rate to ~1e-9
constexpr int kIrrNewtonSteps = 12;

// h is nearly linear in x for flows that invest and then earn, and exactly so for one outflow
// and one inflow, whose root the step lands on. N and N' follow from f = P - N and f'.
// Flows of one sign (or an N lost to rounding) take no step: v is returned.
BO_HD double log_ratio_step(double v, const PresentValues& at_v) {
  const double in = at_v.inflows, d_in = at_v.d_inflows;
  const double out = in - at_v.all, d_out = d_in - at_v.d_all;
  if (!(in > 0.0 && out > 0.0)) return v;
  const double slope = v * (d_in / in - d_out / out);  // dh/dx
  if (!(slope != 0.0)) return v;
  return v * exp((log(out) - log(in)) / slope);
}

BO_HD double internal_rate_of_return(const double* c, int blocks, double v_start, const PresentValues& at_start) {
  const double v_min = monthly_discount_factor(kIrrMax), v_max = monthly_discount_factor(kIrrMin);
  double v = v_start, f = at_start.all, df = at_start.d_all, last_step = 0.0;
  const double v_log = log_ratio_step(v, at_start);
  if (v_log != v && v_log > v_min && v_log < v_max) {
    v = v_log;
    f = present_value(c, blocks, v, &df);
  }
  for (int it = 0; it < kIrrNewtonSteps && df != 0.0; ++it) {
    const double next = v - f / df;
    if (!(next > v_min && next < v_max)) break;
    // Near a simple root Newton's error squares each step: after this step it
    // is about step^3 / last_step^2. Once that is 100 times below the
    // tolerance, next is returned without a present value there to confirm it.
    const double step = fabs(next - v);
    if (step < kIrrTolerance || step * step * step < 1e-2 * kIrrTolerance * last_step * last_step)
      return pow(next, -12.0) - 1.0;
    last_step = step;
    v = next;
    f = present_value(c, blocks, v, &df);
  }
  double v_lo = v_min, v_hi = v_max;
  const double f_lo = present_value(c, blocks, v_lo, nullptr);
  const double f_hi = present_value(c, blocks, v_hi, nullptr);
  if (f_lo >= 0.0 && f_hi >= 0.0) return kIrrMax;
  if (f_lo <= 0.0 && f_hi <= 0.0) return kIrrMin;
  const bool rising = f_hi > 0.0;  // sign of f at v_hi
  if (!(v > v_lo && v < v_hi)) v = 0.5 * (v_lo + v_hi);
  double step = v_hi - v_lo, step_before = step;
  for (int it = 0; it < 100; ++it) {
    f = present_value(c, blocks, v, &df);
    if ((f > 0.0) == rising) v_hi = v; else v_lo = v;
    const double newton = df != 0.0 ? v - f / df : v_lo - 1.0;
    step_before = step;
    if (newton > v_lo && newton < v_hi && fabs(newton - v) < 0.5 * fabs(step_before)) {
      step = newton - v;
      v = newton;
    } else {
      step = 0.5 * (v_hi - v_lo);
      v = v_lo + step;
    }
    if (fabs(step) < kIrrTolerance) break;
  }
  return pow(v, -12.0) - 1.0;
}

}  // namespace buildout
