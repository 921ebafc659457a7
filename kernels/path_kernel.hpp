#pragma once
// One Monte Carlo path: factors -> draws -> site schedules and costs ->
// capacity and market price -> per-player cash flows and metrics.
// The same functor runs on OpenMP threads (host compiler) and on CUDA threads (nvcc).
//
// Work per path is O(players x months + sites x ramp months): each player's months are walked,
// with its capacity and costs found as they change (capacity_walk.hpp, cost_walk.hpp); the one
// array by month kept per player is its cash, which NPV and IRR need whole.
#include <cmath>
#include <cstdint>

#include "kernels/capacity_walk.hpp"
#include "kernels/cashflow.hpp"
#include "kernels/contracts.hpp"
#include "kernels/cost_walk.hpp"
#include "kernels/customers.hpp"
#include "kernels/draws.hpp"
#include "kernels/market_price.hpp"
#include "kernels/model_view.hpp"
#include "kernels/month_windows.hpp"
#include "kernels/path_bounds.hpp"
#include "kernels/platform.hpp"
#include "kernels/programme.hpp"
#include "kernels/releases.hpp"
#include "kernels/schedule.hpp"

namespace buildout {

// One player's monthly cash flows (cf holds the capex spend until it becomes net cash), padded
// for the present value's lanes: the one series by month that NPV and IRR need whole.
template <int months>
struct PlayerMonths {
  double cf[(months + kPvLanes - 1) / kPvLanes * kPvLanes];
};

// Per-path scratch whose parts live in turn: a site's draws and schedule while the sites are
// drawn, then each player's months. One buffer, so the stack frame holds the larger part only
// (compilers do not overlap the two arrays' slots themselves).
template <class B>
union PathScratch {
  struct {
    double draws[B::site_draws];
    ScheduleScratch<B::activities> schedule;
  } site;
  PlayerMonths<B::months> player;
};

// What a player's metrics on a path leave for its flags and the ranking of players.
struct PlayerOutcome {
  double npv;
  bool paid_back;               // cumulative net cash turns positive before the horizon's end
  bool revenue_above_required;  // kProbRevenueAboveRequired
  bool capped;                  // revenue reaches the customers' ceiling in some month
};

// B: the per-path arrays' sizes (path_bounds.hpp), which the model must fit.
template <class B>
struct PathKernel {
  ModelView m;
  PathOutputsView out;
  std::uint64_t first_path;  // global index of the batch's first path

  // One path's stages, each leaving in its arrays what the next reads.
  BO_RNG void operator()(std::uint64_t i) const {
    const PathStreams rng(m, first_path + i);

    // Draws: the common factors, then the global block (the market, regions, players, contracts).
    double factors[B::factors];
    draw_factors(rng, factors);
    double g[B::global_draws];
    for (int d = 0; d < m.n_global_draws; ++d) g[d] = sample(m.draws[d], m.tables, factors, rng);

    // Schedule: each site's own draws, its schedule network and its state on the path.
    PathScratch<B> scratch;
    SiteState sites[B::sites];
    draw_sites(i, factors, rng, g, sites, scratch);

    // Capacity: each programme's fleet spend per month in each of its periods, player p's from
    // fleet_rate + its period_begin; the capacity it buys follows from it.
    double fleet_rate[B::periods];
    for (int p = 0; p < m.n_players; ++p) fleet_spend_rates(m, m.players[p], g, sites, fleet_rate + m.players[p].period_begin);

    // Market: the price every player's revenue reads.
    double price[B::months];
    market_price(m, g, sites, fleet_rate, price);

    // Releases: each player's frontier release, and the earliest success of all.
    double release[kMaxPlayers], success_at[kMaxPlayers];
    double first_success = INFINITY;
    for (int p = 0; p < m.n_players; ++p) {
      const FrontierRelease r = frontier_release(m, p, g, sites, fleet_rate + m.players[p].period_begin, factors, rng);
      release[p] = r.release;
      success_at[p] = r.success_at;
      if (r.success_at < first_success) first_success = r.success_at;
    }
    write_last_releases(i, g, release);

    // Cash flows and metrics: each player's months, metrics and flags, then who has the highest NPV.
    write_players(i, g, sites, fleet_rate, price, release, success_at, first_success, scratch.player);
  }

  // Common factors: F = L eps, L the Cholesky factor of their correlation, in place (row r
  // reads eps[0..r], so rows are taken last first).
  BO_RNG void draw_factors(const PathStreams& rng, double* factors) const {
    for (int k = 0; k < m.n_factors; ++k) factors[k] = rng.normal(m.factor_streams[k], m.factor_dimensions[k]);
    for (int r = m.n_factors - 1; r >= 0; --r) {
      double f = 0.0;
      for (int c = 0; c <= r; ++c) f += m.factor_cholesky[r * m.n_factors + c] * factors[c];
      factors[r] = f;
    }
  }

  // Draws each site's block and evaluates its schedule: writes its ready month and critical
  // activities for path i, its state into sites[s], and each player's capex overrun once its
  // last site is drawn.
  BO_RNG void draw_sites(std::uint64_t i, const double* factors, const PathStreams& rng, const double* g, SiteState* sites,
                         PathScratch<B>& scratch) const {
    // The capex of the sites of the player whose sites are being drawn (a player's sites are
    // consecutive): before overruns, events and price moves, and as drawn.
    double base_usd = 0.0, actual_usd = 0.0;
    for (int s = 0; s < m.n_sites; ++s) {
      const SiteSpec& spec = m.sites[s];
      const PlayerSpec& owner = m.players[spec.player];
      // A risk event's delay and cost are drawn only when it occurs: each draw
      // has its own stream, so skipping them changes no other number.
      const DrawSpec* draws = m.draws + spec.draw_begin;
      const int head = kSiteFixedDraws + spec.n_drivers + spec.n_activities;
      double* v = scratch.site.draws;
      for (int d = 0; d < head; ++d) v[d] = sample(draws[d], m.tables, factors, rng);
      for (int d = head; d < head + 3 * spec.n_events; d += 3) {
        v[d] = sample(draws[d], m.tables, factors, rng);
        const bool occurs = v[d] >= 0.5;
        v[d + 1] = occurs ? sample(draws[d + 1], m.tables, factors, rng) : 0.0;
        v[d + 2] = occurs ? sample(draws[d + 2], m.tables, factors, rng) : 0.0;
      }
      double start = spec.start_month;
      if (spec.after_unit >= 0) {
        const double after = sites[spec.after_unit].ready + spec.after_lag_months;
        start = after > start ? after : start;
      }
      const SiteSchedule sched = evaluate_schedule(m, spec, v, start, scratch.site.schedule);
      out.site_ready_month[s * out.stride + i] = static_cast<float>(sched.ready_month);
      out.site_critical[s * out.stride + i] = sched.critical;
      if (s == owner.site_begin) base_usd = actual_usd = 0.0;
      sites[s] = site_state(spec, v, sched, start, g[kGpuPriceIndex], base_usd);
      actual_usd += sites[s].facility_usd + sites[s].accelerator_usd;
      if (s == owner.site_end - 1) write_capex_overrun(spec.player, i, actual_usd, base_usd);
    }
  }

  // Writes each player's last release in each [report] release window for path i.
  BO_HD void write_last_releases(std::uint64_t i, const double* g, const double* release) const {
    const CalendarSpec& cal = m.calendar;
    const std::uint64_t col = static_cast<std::uint64_t>(m.n_players) * out.stride;
    for (int p = 0; p < m.n_players; ++p) {
      const ReleaseGrid grid = release_grid(m, m.players[p], g);  // made again: cheaper than kept
      for (int w = 0; w < cal.n_release_windows; ++w)
        out.player_metrics[(cal.release_column + w) * col + p * out.stride + i] = static_cast<float>(
            last_release_in(m, m.players[p], grid, release[p], cal.release_window_begin[w], cal.release_window_end[w]));
    }
  }

  // Writes each player's metrics and flags for path i; the flag of the highest NPV goes to the
  // players (owners are not in the race) that reach it, ties all counting.
  BO_HD void write_players(std::uint64_t i, const double* g, SiteState* sites, const double* fleet_rate, const double* price,
                           const double* release, const double* success_at, double first_success, PlayerMonths<B::months>& months) const {
    double best = -INFINITY;
    unsigned highest = 0;
    static_assert(kMaxPlayers <= 32, "the players with the highest NPV are a 32-bit mask");
    for (int p = 0; p < m.n_players; ++p) {
      const double* rates = fleet_rate + m.players[p].period_begin;
      const PlayerOutcome o = player_metrics(p, i, g, sites, rates, price, release[p], success_at[p], months, first_success);
      const bool success = success_at[p] < m.months;
      out.player_flags[p * out.stride + i] = static_cast<std::uint8_t>(
          (o.npv > 0.0 ? flag_of(kProbNpvPositive) : 0) | (o.paid_back ? flag_of(kProbPaybackWithinHorizon) : 0) |
          (o.revenue_above_required ? flag_of(kProbRevenueAboveRequired) : 0) | (o.capped ? flag_of(kProbRevenueCapped) : 0) |
          (success ? flag_of(kProbFrontierSuccess) : 0) |
          (success && success_at[p] == first_success ? flag_of(kProbFirstSuccess) : 0));
      if (m.players[p].is_owner) continue;
      if (o.npv > best) {
        best = o.npv;
        highest = 1u << p;
      } else if (o.npv == best) {
        highest |= 1u << p;
      }
    }
    for (int p = 0; p < m.n_players; ++p)
      if ((highest >> p) & 1u) out.player_flags[p * out.stride + i] |= flag_of(kProbHighestNpv);
  }

  // Writes player p's capex overrun for path i: its sites' capex as drawn (actual) over their base.
  BO_HD void write_capex_overrun(int p, std::uint64_t i, double actual, double base) const {
    const std::uint64_t col = static_cast<std::uint64_t>(m.n_players) * out.stride;
    out.player_metrics[kCapexOverrunPct * col + p * out.stride + i] =
        static_cast<float>(base >= kMinRatioBaseUsd ? 100.0 * (actual / base - 1.0) : 0.0);
  }

  // The site's state on this path; adds its capex before overruns, events and price moves to base_usd.
  BO_HD SiteState site_state(const SiteSpec& spec, const double* v, const SiteSchedule& sched, double start,
                             double gpu_price_index, double& base_usd) const {
    SiteState s;
    s.ready = sched.ready_month;
    s.late_at = s.ready + v[kLateDelivery];
    s.allocation = v[kAllocation];
    // A ramp too short for its inverse to be finite is no ramp.
    const double inv_ramp = v[kRampMonths] > 0.0 ? 1.0 / v[kRampMonths] : 0.0;
    s.inv_ramp = inv_ramp < INFINITY ? inv_ramp : 0.0;
    if (spec.online_actual) {  // reported online: all of it, from its date
      s.late_at = s.ready;
      s.allocation = 1.0;
      s.inv_ramp = 0.0;
    }
    s.facility_begin = start;
    const double base = spec.it_mw * v[kCostPerMw] * 1e6;
    const double owner_furnished = spec.it_mw * v[kOwnerFurnished] * 1e6;
    const double slip = s.ready - spec.planned_ready_month;
    const double overrun = spec.labor_share * (v[kLaborIndex] - 1.0) + spec.materials_share * (v[kMaterialsIndex] - 1.0) +
                           spec.equipment_share * (v[kEquipmentIndex] - 1.0) +
                           spec.escalation_per_month * (slip > 0.0 ? slip : 0.0);
    // A lessee pays no facility capex, but buys its owner-furnished equipment.
    s.facility_usd = (spec.own ? base * (1.0 + overrun) + sched.event_cost_usd_m * 1e6 : 0.0) + owner_furnished;
    base_usd += ((spec.own ? base : 0.0) + owner_furnished) + spec.units * (v[kAcceleratorPrice] + v[kOtherItUsd]);
    s.accelerator_usd = spec.units * (v[kAcceleratorPrice] * gpu_price_index + v[kOtherItUsd]);
    s.lease_rent_usd_per_month = spec.own ? 0.0 : base * spec.lease_yield / 12.0;
    set_capacity_months(s, m.months);
    set_cost_months(s, spec, m.months);
    return s;
  }

  // Writes player p's metrics for path i (a player with sites has its capex overrun written with
  // them) and returns what its flags need. Its cost walk keeps its sites' next cost months in
  // their states.
  BO_HD PlayerOutcome player_metrics(int p, std::uint64_t i, const double* g, SiteState* sites, const double* fleet_rate,
                                     const double* price, double release, double success_at, PlayerMonths<B::months>& months,
                                     double first_success) const {
    const PlayerSpec& pl = m.players[p];
    const double* pd = g + pl.draw_begin;
    const double util = pd[kUtilisation];
    // Own use earns M_pre before the frontier release, M_fail after it until a release unlocks new
    // revenue, then M_success less the first-mover decay of that release's lag.
    const bool success = success_at < m.months;
    const double m_success =
        success ? pd[kMonetisationFail] + (pd[kMonetisationSuccess] - pd[kMonetisationFail]) *
                                              first_mover_share(success_at - first_success, m.first_mover_tau_months)
                : pd[kMonetisationSuccess];
    const int H = m.months;

    double* cf = months.cf;
    double residual = capex_spend(pl, g, sites, fleet_rate, cf);

    float* o = out.player_metrics;
    const std::uint64_t col = static_cast<std::uint64_t>(m.n_players) * out.stride;
    const std::uint64_t at = p * out.stride + i;
    const CalendarSpec& cal = m.calendar;
    for (int w = 0; w < cal.n_capex_windows; ++w) {
      double capex_window = 0.0;
      for (int t = cal.capex_window_begin[w]; t < cal.capex_window_end[w]; ++t) capex_window += cf[t];
      o[(cal.capex_column + w) * col + at] = static_cast<float>(capex_window * 1e-9);
    }
    // Capex as the company reports it; its finance-lease part is then paid as installments instead.
    double capex = 0.0;
    for (int t = 0; t < H; ++t) capex += cf[t];
    if (pl.finance_lease_share > 0.0)
      for (int k = pl.period_begin; k < pl.period_end; ++k) {
        const double financed = pl.finance_lease_share * cohort_spend(fleet_rate[k - pl.period_begin]);
        if (financed > 0.0)
          residual -= finance_fleet_leases(pl, m.finance_owed_per_installment + p * H, inside_horizon(m.programme_periods[k], H), financed, cf);
      }

    const double power_factor = util * pd[kPue] * m.hours_per_month;
    const int release_month = first_month_from(release, 0, H);  // the first month whose mid-point follows the release
    const int success_month = success ? first_month_from(success_at, 0, H) : H;
    // Own use earns one multiple before release_month, one to success_month and one after, so it
    // and the revenue rate are made when a phase starts.
    int next_phase = 0;
    double own_use = 0.0, rate = 0.0;
    double online = 0.0, power = 0.0, cost = 0.0, revenue = 0.0, opex = 0.0, cumulative = 0.0;
    double capacity = 0.0;  // what it earns on: its own capacity less what it sells under contract, plus what it buys
    double payback = H;
    bool was_negative = false, paid_back = false;
    // Present values of the revenue and of the capacity online, for the required revenue.
    const double v_wacc = monthly_discount_factor(pd[kWacc]);
    double discount = 1.0, pv_revenue = 0.0, pv_online = 0.0;
    double revenue_window[kMaxCapexWindows];
    for (int w = 0; w < cal.n_revenue_windows; ++w) revenue_window[w] = 0.0;
    MonthWindows in_revenue_window(cal.n_revenue_windows, cal.revenue_window_begin, cal.revenue_window_end);
    int cash_report = 0, cash_report_month = cal.n_cash_reports > 0 ? cal.cash_every_months : 0;  // 0: none left
    CustomerCeilingPath ceiling(m, pl, g);
    double over_ceiling = 0.0;
    CapacityWalk walk(m, p, g, sites, fleet_rate);
    CostWalk costs(m, p, sites, fleet_rate);
    for (int t = 0; t < H; ++t) {
      // The month's changes: the sites' costs, then the cohorts' capacity, power and O&M, then the
      // finance-lease installments (cost_walk.hpp).
      double power_change, cost_change = 0.0;
      costs.add_sites(t, cost_change);
      online += walk.change_at(t, &power_change, &cost_change);
      costs.add_installments(t, cost_change);
      power += power_change;
      cost += cost_change;
      const double spend = cf[t];
      const ContractMonth cm = pl.contract_mask ? contract_month(m, p, sites, g, t, price[t]) : ContractMonth{};
      capacity = online - cm.out + cm.in;
      // Revenue per H100-eq online and per $ of its price: hours x (rented share at utilisation
      // + own use at the monetisation multiple of the month). Capacity bought under contract is
      // own use alone.
      if (t == next_phase) {
        own_use = t < release_month ? pd[kMonetisationPre] : t < success_month ? pd[kMonetisationFail] : m_success;
        rate = m.hours_per_month * (pl.rent_share * util + (1.0 - pl.rent_share) * own_use);
        next_phase = t < release_month ? release_month : t < success_month ? success_month : H;
      }
      double rev = price[t] * ((online - cm.out) * rate + cm.in * m.hours_per_month * own_use);
      const double can_pay = ceiling.next(t);
      if (rev > can_pay) {
        over_ceiling += rev - can_pay;
        rev = can_pay;
      }
      rev += cm.received;
      const double operating = power * power_factor + cost + cm.paid;
      cf[t] = rev - operating - spend;
      opex += operating;
      revenue += rev;
      for (std::uint32_t in = in_revenue_window.at(t); in != 0; in &= in - 1) revenue_window[lowest_bit(in)] += rev;
      discount *= v_wacc;
      pv_revenue += rev * discount;
      pv_online += capacity * discount;
      cumulative += cf[t];
      if (t + 1 == cash_report_month) {
        o[(cal.cash_column + cash_report) * col + at] = static_cast<float>(cumulative * 1e-9);
        cash_report_month = ++cash_report < cal.n_cash_reports ? cash_report_month + cal.cash_every_months : 0;
      }
      if (cumulative < 0.0) was_negative = true;
      else if (!paid_back && (was_negative || cumulative > 0.0)) { payback = was_negative ? t + 1.0 : 0.0; paid_back = true; }
    }
    // Discounting: the book value joins the last month's cash, padded to whole blocks.
    const int blocks = pv_blocks(H);
    cf[H - 1] += residual;
    for (int t = H; t < kPvLanes * blocks; ++t) cf[t] = 0.0;
    const PresentValues at_wacc = present_values(cf, blocks, v_wacc);
    const double npv = at_wacc.all;

    // Required revenue X: a level X / 12 a month at full capacity, earned in
    // proportion to the capacity online, of which (1 - margin) must cover
    // everything else: (1 - margin) X A = PV(revenue) - NPV, A = PV(online) /
    // (12 x final capacity). The path's own revenue is X_model = PV(revenue) / A,
    // so X_model >= X exactly when NPV >= margin x PV(revenue).
    const double keep = 1.0 - m.required_revenue_margin;
    const double annuity = capacity > 0.0 ? pv_online / (12.0 * capacity) : 0.0;
    const double required = annuity > 0.0 ? (pv_revenue - npv) / (keep * annuity) : 0.0;
    PlayerOutcome outcome;
    outcome.npv = npv;
    outcome.revenue_above_required = annuity > 0.0 && npv >= m.required_revenue_margin * pv_revenue;

    o[kNpvUsdB * col + at] = static_cast<float>(npv * 1e-9);
    o[kRoi * col + at] = static_cast<float>(capex >= kMinRatioBaseUsd ? (cumulative + residual) / capex : 0.0);
    o[kIrr * col + at] = static_cast<float>(internal_rate_of_return(cf, blocks, v_wacc, at_wacc));
    o[kPaybackMonths * col + at] = static_cast<float>(payback);
    outcome.paid_back = payback < H;
    o[kCapexUsdB * col + at] = static_cast<float>(capex * 1e-9);
    if (pl.site_begin == pl.site_end) write_capex_overrun(p, i, 0.0, 0.0);
    o[kFirstReleaseMonth * col + at] = static_cast<float>(release < H ? release : H);
    o[kRevenueUsdB * col + at] = static_cast<float>(revenue * 1e-9);
    o[kOpexUsdB * col + at] = static_cast<float>(opex * 1e-9);
    o[kRequiredRevenueUsdB * col + at] = static_cast<float>(required * 1e-9);
    o[kRevenueOverCeilingUsdB * col + at] = static_cast<float>(over_ceiling * 1e-9);
    outcome.capped = over_ceiling > 0.0;
    for (int w = 0; w < cal.n_revenue_windows; ++w) o[(cal.revenue_column + w) * col + at] = static_cast<float>(revenue_window[w] * 1e-9);
    write_online_reports(p, i, g, sites, fleet_rate);
    return outcome;
  }

  // Writes the player's capex spend by month into cf[0 .. months): its sites', then its
  // programme's fleet; returns their book value at the horizon.
  BO_HD double capex_spend(const PlayerSpec& pl, const double* g, const SiteState* sites, const double* fleet_rate, double* cf) const {
    const int H = m.months;
    for (int t = 0; t < H; ++t) cf[t] = 0.0;
    double residual = 0.0;
    for (int s = pl.site_begin; s < pl.site_end; ++s) {
      add_site_spend(sites[s], H, cf);
      residual += residual_value(sites[s], m.sites[s], H);
    }
    for (int k = pl.period_begin; k < pl.period_end; ++k) {
      const MonthSpan span = inside_horizon(m.programme_periods[k], H);
      const double rate = fleet_rate[k - pl.period_begin];
      if (rate >= 0.0) {
        add_constant(cf, span.lo, span.hi, rate);
      } else {  // an actual below the named sites' spend: their cash in it scaled to the books
        double named = 0.0;
        for (int t = span.lo; t < span.hi; ++t) named += cf[t];
        const double scale = (named + rate * (span.hi - span.lo)) / named;
        for (int t = span.lo; t < span.hi; ++t) cf[t] *= scale;
      }
      residual += fleet_book_value(pl, span, cohort_spend(rate), g[pl.programme_draw + kLagMonths], H);
    }
    return residual;
  }

  // Writes player p's online capacity at each [report] online month for path i: its sites' and
  // its programme's cohorts'.
  BO_HD void write_online_reports(int p, std::uint64_t i, const double* g, const SiteState* sites, const double* fleet_rate) const {
    const PlayerSpec& pl = m.players[p];
    const CalendarSpec& cal = m.calendar;
    const std::uint64_t col = static_cast<std::uint64_t>(m.n_players) * out.stride;
    const double h100eq_per_usd = pl.period_begin != pl.period_end ? fleet_h100eq_per_usd(pl, g) : 0.0;
    for (int r = 0; r < cal.n_online_reports; ++r) {
      double online_report = 0.0;
      for (int s = pl.site_begin; s < pl.site_end; ++s)
        online_report += site_h100eq(m.sites[s]) * online_share(sites[s], cal.online_report_month[r]);
      for (int k = pl.period_begin; k < pl.period_end; ++k)
        online_report += fleet_online_at(inside_horizon(m.programme_periods[k], m.months), cohort_spend(fleet_rate[k - pl.period_begin]) * h100eq_per_usd,
                                         g[pl.programme_draw + kLagMonths], cal.online_report_month[r]);
      out.player_metrics[(cal.online_column + r) * col + p * out.stride + i] = static_cast<float>(online_report);
    }
  }
};

}  // namespace buildout
