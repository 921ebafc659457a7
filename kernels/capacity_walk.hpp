#pragma once
// One player's online capacity, power bill and programme O&M on one path, month by month, as
// the months are walked: no array indexed by month is kept. Each month's
// change is summed in the order the monthly arrays were once filled (its
// sites in order, then each programme period's cohorts: the older cohort's
// tail, then the newer one's head), so the levels are the same to the bit.
// A player's periods are sorted and do not overlap (host/config/entities.cpp refuses
// overlaps), so the two cohorts that change a month lie in at most two
// consecutive periods, found by a cursor that only moves forward.
#include "cashflow.hpp"
#include "model_view.hpp"
#include "platform.hpp"
#include "programme.hpp"

namespace buildout {

class CapacityWalk {
 public:
  // fleet_rate: the player's spend per month in each of its periods (fleet_spend_rates).
  BO_HD CapacityWalk(const ModelView& m, int p, const double* g, const SiteState* sites, const double* fleet_rate)
      : m_(m), pl_(m.players[p]), g_(g), sites_(sites), fleet_rate_(fleet_rate) {
    for (int s = pl_.site_begin; s < pl_.site_end; ++s) {
      sites_from_ = sites[s].capacity_from < sites_from_ ? sites[s].capacity_from : sites_from_;
      sites_until_ = sites[s].capacity_until > sites_until_ ? sites[s].capacity_until : sites_until_;
    }
    period_ = pl_.period_end;
    if (pl_.period_begin == pl_.period_end) return;
    h100eq_per_usd_ = fleet_h100eq_per_usd(pl_, g);
    power_per_h100eq_ = pl_.kw_per_h100eq * 1e-3 * g[pl_.programme_region_draw];
    lag_ = split_lag(g[pl_.programme_draw + kLagMonths]);
    enter(pl_.period_begin);
  }

  // The change of online H100-eq at month t from month t - 1 and, unless power is null, of the
  // power bill at full utilisation and PUE 1 ($ an hour) into *power. Unless cost is null, adds
  // the cohorts' O&M change to *cost (after its sites', cost_walk.hpp). Months come in ascending order.
  BO_HD_INLINE double change_at(int t, double* power, double* cost = nullptr) {
    double h100eq = 0.0, bill = 0.0;
    if (t >= sites_from_ && t < sites_until_)
      for (int s = pl_.site_begin; s < pl_.site_end; ++s) {
        const SiteState& site = sites_[s];
        if (t < site.capacity_from || t >= site.capacity_until) continue;
        const double share = online_share_change(site, t);
        h100eq += site_h100eq(m_.sites[s]) * share;
        if (power) bill += site_power_usd_per_hour(m_.sites[s], g_) * share;
      }
    // Cohort t - n - 2 adds its tail (x f), then cohort t - n - 1 its head (x (1 - f)): the first
    // lies in the cursor's period or none, the second there or in the next.
    const int older = t - lag_.n - 2;
    while (period_ < pl_.period_end && older >= now_.span.hi) enter(period_ + 1);
    if (period_ < pl_.period_end) {
      if (older >= now_.span.lo) {
        h100eq += now_.tail;
        bill += now_.power_tail;
        if (cost) *cost += now_.om_tail;
      }
      if (older + 1 >= now_.span.lo && older + 1 < now_.span.hi) {
        h100eq += now_.head;
        bill += now_.power_head;
        if (cost) *cost += now_.om_head;
      } else if (older + 1 == now_.span.hi && period_ + 1 < pl_.period_end) {
        const Cohorts next = cohorts(period_ + 1);
        if (older + 1 >= next.span.lo && older + 1 < next.span.hi) {
          h100eq += next.head;
          bill += next.power_head;
          if (cost) *cost += next.om_head;
        }
      }
    }
    if (power) *power = bill;
    return h100eq;
  }

 private:
  // A period's months inside the horizon, and what each of its cohorts adds to capacity, to the
  // power bill and to O&M in its first month online (head) and its second (tail).
  struct Cohorts {
    MonthSpan span;
    double head, tail, power_head, power_tail, om_head, om_tail;
  };
  BO_HD Cohorts cohorts(int k) const {
    const double spend = cohort_spend(fleet_rate_[k - pl_.period_begin]);
    const double x = spend * h100eq_per_usd_, power = x * power_per_h100eq_, om = pl_.om_share_per_year / 12.0 * spend;
    return Cohorts{inside_horizon(m_.programme_periods[k], m_.months), x * (1.0 - lag_.f), x * lag_.f, power * (1.0 - lag_.f),
                   power * lag_.f, om * (1.0 - lag_.f), om * lag_.f};
  }

  // Moves the cursor to period k (or past the last).
  BO_HD void enter(int k) {
    period_ = k;
    if (k < pl_.period_end) now_ = cohorts(k);
  }

  const ModelView& m_;
  const PlayerSpec& pl_;
  const double* g_;
  const SiteState* sites_;
  const double* fleet_rate_;
  int sites_from_ = kMaxMonths, sites_until_ = 0;  // the months in which any of its sites' shares change
  double h100eq_per_usd_ = 0.0, power_per_h100eq_ = 0.0;
  Lag lag_{0, 0.0};
  // The cursor: no period before it holds a cohort still to come online.
  int period_ = 0;
  Cohorts now_{{0, 0}, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};  // the cursor's period
};

}  // namespace buildout
