#pragma once
// One player's fixed operating costs on one path, as changes from one month to the next, found
// as the months are walked: no array indexed by month is kept. The changes are
//   - each site's operations and maintenance on owned capital, from its first month online, with
//     one step when the late accelerators arrive; a lessee's rent from then, rising on each
//     anniversary of R and stopping when the lease ends (a month's lease year is its mid-point's);
//   - the programme cohorts' O&M as they come online (added by CapacityWalk::change_at, which
//     walks the same cohorts);
//   - finance-lease installments: level, monthly, in arrears, over the lease term from each
//     financed cohort's month (programme.hpp, finance_fleet_leases).
// A month's change is summed in that order, each site's in the order above, as a monthly row was
// once filled, so that the cost level is the row's to the bit (tests/unit/test_programme.cpp,
// CostWalk.LevelsEqualTheMonthlyRowToTheBit).
#include <cmath>
#include <cstdint>

#include "cashflow.hpp"
#include "model_view.hpp"
#include "platform.hpp"
#include "programme.hpp"

namespace buildout {

static_assert(kMaxMonths <= UINT8_MAX, "SiteState keeps months in 8 bits");
static_assert(kLeaseEscalationYears <= UINT8_MAX, "SiteState keeps a lease year in 8 bits");
static_assert(sizeof(SiteState) == 9 * sizeof(double), "the cost walk's bytes fit the state's padding");

// A lessee's lease year at month t's mid-point.
BO_HD double lease_year(const SiteState& s, int t) { return floor((t + 0.5 - s.ready) / 12.0); }

// A lessee's first lease anniversary after month t, where it pays rent for lease year `year`: the
// month the next lease year starts, by arithmetic, then settled by lease_year itself so that it
// agrees with the mid-point rule under rounding; or the lease's end.
BO_HD int first_anniversary_after(const SiteState& s, int t, double year, int end) {
  int a = first_month_from(s.ready + 12.0 * (year + 1.0), t + 1, end);
  while (a > t + 1 && lease_year(s, a - 1) > year) --a;
  while (a < end && lease_year(s, a) <= year) ++a;
  return a;
}

// The month from capacity_from on whose mid-point first follows the late delivery, and that of the
// lease's end (a lessee's); `months` where there is none within the horizon. A lessee paying rent
// within the horizon also gets the lease year of its first month online and its first
// anniversary after it, here, where a GPU warp finds them for all its paths at once: found at
// that month in the cost walk, they cost the warp their divisions for every lane's own month
// (base.toml: 38 distinct lessee first months a warp, against 4 a path).
BO_HD void set_cost_months(SiteState& s, const SiteSpec& spec, int months) {
  const int begin = s.capacity_from;
  const bool online = begin < months;
  s.late_month = static_cast<std::uint8_t>(online ? first_month_from(s.late_at, begin, months) : months);
  const int end = online && !spec.own ? first_month_from(s.ready + spec.lease_term_months, begin, months) : months;
  s.lease_end_month = static_cast<std::uint8_t>(end);
  if (spec.own || begin >= end) return;
  s.rent_year = static_cast<std::uint8_t>(bounded_index(lease_year(s, begin), 0, kLeaseEscalationYears - 1));
  s.rent_month = static_cast<std::uint8_t>(first_anniversary_after(s, begin, s.rent_year, end));
}

// Adds to c the change of site s's fixed costs at month t < months from month t - 1, for one of
// the months next_cost_month names, in ascending order; om_per_month: its owner's O&M share of
// capital a month.
// A lessee keeps in s the lease year it pays rent for and its next anniversary, from
// set_cost_months on. The first anniversary follows the mid-point rule
// (first_anniversary_after); each later one comes 12 months after the one before. In exact
// arithmetic that is the mid-point rule's month every time; under rounding the two can differ
// only where t + 0.5 - R falls within rounding of a multiple of 12 without being one. A rent
// step then costs a GPU warp a few instructions for whichever lanes have it, not two divisions
// and a search.
BO_HD void add_site_cost_change(const SiteSpec& spec, SiteState& s, const double* escalation, double om_per_month, int t, int months,
                                double& c) {
  const int begin = s.capacity_from;
  if (t < begin) return;
  if (t == begin || t == s.late_month) {
    const double early = om_per_month * (s.facility_usd + s.allocation * s.accelerator_usd);
    if (t == begin) c += early;
    if (t == s.late_month) c += om_per_month * (s.facility_usd + s.accelerator_usd) - early;
  }
  const int end = s.lease_end_month;
  if (spec.own || t > end || begin >= end) return;
  // escalation[k] = pow(1 + lease_escalator, k), made once by compile_model: a GPU warp would
  // otherwise run a pow for whichever of its paths has a rent step. Rent is paid only while t <
  // end, in lease years below kLeaseEscalationYears; the index is bounded all the same.
  const auto rent_in = [&](int year) { return s.lease_rent_usd_per_month * escalation[year < kLeaseEscalationYears ? year : kLeaseEscalationYears - 1]; };
  if (t == begin) {
    c += rent_in(s.rent_year);
  } else if (t < end) {
    if (t == s.rent_month) {
      c += rent_in(s.rent_year + 1) - rent_in(s.rent_year);
      ++s.rent_year;
      s.rent_month = static_cast<std::uint8_t>(t + 12 < end ? t + 12 : end);
    }
  } else if (end < months) {
    c -= rent_in(s.rent_year);
  }
}

// The first month after t in which site s's fixed costs can change (its first month online, the
// late delivery, a lease anniversary, the lease's end), or `months`; called after
// add_site_cost_change at t, which keeps a lessee's next anniversary in s.rent_month.
BO_HD int next_cost_month(const SiteSpec& spec, const SiteState& s, int t, int months) {
  const int begin = s.capacity_from;
  if (t < begin) return begin < months ? begin : months;
  const int next = t < s.late_month ? s.late_month : months;
  const int end = s.lease_end_month;
  if (spec.own || t >= end || begin >= end) return next;
  return s.rent_month < next ? s.rent_month : next;
}

class CostWalk {
 public:
  // fleet_rate: the player's spend per month in each of its periods (fleet_spend_rates). The walk
  // keeps each of the player's sites' next cost month in its state (SiteState::cost_month), and
  // moves a lessee's rent cursors on from where set_cost_months put them: a player's sites are
  // walked once a path.
  BO_HD CostWalk(const ModelView& m, int p, SiteState* sites, const double* fleet_rate)
      : m_(m),
        pl_(m.players[p]),
        sites_(sites),
        fleet_rate_(fleet_rate),
        om_per_month_(pl_.om_share_per_year / 12.0),
        installment_per_usd_(pl_.finance_lease_share > 0.0 ? pl_.finance_installment_per_usd : 0.0) {
    for (int s = pl_.site_begin; s < pl_.site_end; ++s) sites_[s].cost_month = 0;
  }

  // Adds to c the change of the sites' costs at month t, for every month in ascending order from
  // 0. Only the months where some site's costs can change are visited, and in them only the sites
  // whose can: on a GPU the 32 paths of a warp visit the union of their months (base.toml: 301
  // of 576 entity-months, against 51 for one path), so each visit must cost little for the
  // sites that do not change.
  BO_HD void add_sites(int t, double& c) {
    if (t < next_) return;
    int next = m_.months;
    for (int s = pl_.site_begin; s < pl_.site_end; ++s) {
      SiteState& site = sites_[s];
      if (t == site.cost_month) {
        add_site_cost_change(m_.sites[s], site, m_.lease_escalation + s * kLeaseEscalationYears, om_per_month_, t, m_.months, c);
        site.cost_month = static_cast<std::uint8_t>(next_cost_month(m_.sites[s], site, t, m_.months));
      }
      next = site.cost_month < next ? site.cost_month : next;
    }
    next_ = next;
  }

  // Adds to c the change of the finance-lease installments at month t (months in ascending
  // order): cohort t - n - 1 paid its last installment in month t - 1, and cohort t - 1 pays its
  // first in month t.
  BO_HD void add_installments(int t, double& c) {
    if (installment_per_usd_ == 0.0) return;
    c -= installment(t - pl_.finance_lease_months - 1, ending_);
    c += installment(t - 1, starting_);
  }

 private:
  // The installment of cohort u (0 if it is in no period, or none of its period is financed),
  // for cohorts asked in ascending order with the same cursor k: no period before k holds u.
  BO_HD double installment(int u, int& k) const {
    for (; k < pl_.period_end; ++k) {
      const MonthSpan span = inside_horizon(m_.programme_periods[k], m_.months);
      if (u >= span.hi) continue;
      if (u < span.lo) return 0.0;
      const double financed = pl_.finance_lease_share * cohort_spend(fleet_rate_[k - pl_.period_begin]);
      return financed > 0.0 ? financed * installment_per_usd_ : 0.0;
    }
    return 0.0;
  }

  const ModelView& m_;
  const PlayerSpec& pl_;
  SiteState* sites_;
  const double* fleet_rate_;
  double om_per_month_;
  int next_ = 0;                       // add_sites' next month to visit
  double installment_per_usd_;         // of a financed cohort, a month; 0: nothing is financed
  int ending_ = pl_.period_begin, starting_ = pl_.period_begin;  // installment's cursors
};

}  // namespace buildout
