// A deterministic config (every draw fixed) whose NPV, ROI, IRR and payback
// are computed here independently, from annuity formulas and a separate IRR
// solver; and the IRR solver itself against bisection.
#include <gtest/gtest.h>

#include <cmath>
#include <utility>
#include <vector>

#include "kernels/cashflow.hpp"
#include "kernels/month_windows.hpp"
#include "test_support.hpp"

using namespace buildout;
using namespace buildout::testing;

namespace {

// One own site: 100 MW at $10M/MW built evenly over months 0-11 (ready at 12),
// 10,000 accelerators at $30k paid at month 12, all online from 12, rented at
// $10/h (rent share 1, utilisation 1), 1 kW each at $50/MWh, PUE 1,
// O&M 1.2% a year of capital in service. 60-month horizon, WACC 10%.
std::string deterministic_config(const std::string& ownership) {
  std::string cfg = config_with_network("[templates.t.activities.build]\nduration = 12\n");
  cfg = replaced(cfg, "horizon_months = 96", "horizon_months = 60");
  cfg = replaced(cfg, "price_p0_usd_per_hour = 2.0", "price_p0_usd_per_hour = 10.0");
  cfg = replaced(cfg, "rent_share = 0.5", "rent_share = 1.0");
  cfg = replaced(cfg, "om_share_per_year = 0.0", "om_share_per_year = 0.012");
  cfg = replaced(cfg, "cost_per_mw_usd_m = 10", "cost_per_mw_usd_m = 10\nfacility_life_years = 20\nownership = \"" + ownership +
                                                   "\"\nlease_yield = 0.12\nlease_escalator = 0.0\nlease_term_years = 15");
  return cfg;
}

// sum_{k=a}^{b} v^k
double annuity(double v, int a, int b) { return std::pow(v, a) * (1 - std::pow(v, b - a + 1)) / (1 - v); }

constexpr double kFacility = 100 * 10e6, kAccel = 10000 * 30000.0;
constexpr double kRevenue = 10000 * 730 * 10.0;                 // per month from month 12
constexpr double kPower = 10000 * 1.0e-3 * 730 * 50.0;          // MW x hours x $/MWh
constexpr int H = 60;

}  // namespace

TEST(CashFlow, OwnSiteMatchesClosedForms) {
  const auto run = run_text(deterministic_config("own"), 4);
  const double om = 0.012 / 12 * (kFacility + kAccel);
  const double net = kRevenue - kPower - om;
  const double v = std::pow(1.10, -1.0 / 12);
  const double residual = kFacility * (1 - 48.0 / 240) + kAccel * (1 - 48.0 / 60);
  // Months 0-11 (cash at 1..12): facility; month 12 (cash at 13): accelerators; months 12-59: net operating cash.
  const double npv = -kFacility / 12 * annuity(v, 1, 12) - kAccel * std::pow(v, 13) + net * annuity(v, 13, 60) + residual * std::pow(v, H);
  const double capex = kFacility + kAccel;
  const double roi = (-capex + 48 * net + residual) / capex;
  // Cumulative cash after month t (t >= 12) = -capex + (t - 11) net; payback at the end of that month.
  const double payback = 11 + std::ceil(capex / net) + 1;
  // IRR by plain bisection on the annual rate, summing the flows with pow().
  const auto pv = [&](double r) {
    const double w = std::pow(1 + r, -1.0 / 12);
    double s = 0;
    for (int t = 0; t < H; ++t) {
      double cf = t < 12 ? -kFacility / 12 : net;
      if (t == 12) cf -= kAccel;
      s += cf * std::pow(w, t + 1);
    }
    return s + residual * std::pow(w, H);
  };
  double lo = -0.5, hi = 5.0;
  for (int i = 0; i < 200; ++i) ((pv(0.5 * (lo + hi)) > 0) ? lo : hi) = 0.5 * (lo + hi);
  const double irr = 0.5 * (lo + hi);

  for (int i = 0; i < 4; ++i) {
    const auto metric = [&](int m) { return static_cast<double>(run.paths.metric(m, 0)[i]); };
    EXPECT_NEAR(metric(kNpvUsdB), npv * 1e-9, 1e-6 * std::fabs(npv * 1e-9));
    EXPECT_NEAR(metric(kRoi), roi, 1e-6 * std::fabs(roi));
    EXPECT_NEAR(metric(kIrr), irr, 1e-5);
    EXPECT_EQ(metric(kPaybackMonths), payback);
    EXPECT_NEAR(metric(kCapexUsdB), capex * 1e-9, 1e-6);
    EXPECT_NEAR(metric(kFixedPlayerMetrics), capex * 1e-9, 1e-6);  // capex_2025_26_usd_b: months 0-12 fall in 2025-26
    EXPECT_NEAR(metric(kCapexOverrunPct), 0.0, 1e-9);
    EXPECT_EQ(metric(kFixedPlayerMetrics + 1), 10000.0);  // online_h100eq_2026_12
    EXPECT_NEAR(metric(kRevenueUsdB), 48 * kRevenue * 1e-9, 1e-6);
    EXPECT_NEAR(metric(kOpexUsdB), 48 * (kPower + om) * 1e-9, 1e-6);
    EXPECT_EQ(metric(kFirstReleaseMonth), H);  // threshold never reached: censored
    EXPECT_EQ(run.paths.flags(0)[i] & flag_of(kProbFrontierSuccess), 0);
  }
}

TEST(CashFlow, LeaseSitePaysRentInsteadOfFacilityCapex) {
  const auto run = run_text(deterministic_config("lease"), 2);
  const double rent = 100 * 10e6 * 0.12 / 12;  // MW x cost/MW x yield, monthly, from ready
  const double om = 0.012 / 12 * kAccel;       // only the accelerators are owned
  const double net = kRevenue - kPower - om - rent;
  const double v = std::pow(1.10, -1.0 / 12);
  const double residual = kAccel * (1 - 48.0 / 60);
  const double npv = -kAccel * std::pow(v, 13) + net * annuity(v, 13, 60) + residual * std::pow(v, H);
  EXPECT_NEAR(run.paths.metric(kNpvUsdB, 0)[0], npv * 1e-9, 1e-6 * std::fabs(npv * 1e-9));
  EXPECT_NEAR(run.paths.metric(kCapexUsdB, 0)[0], kAccel * 1e-9, 1e-6);
}

// Rent rises 3% on each anniversary of R (month 12) and stops when a two-year
// lease ends: 12 months at the first rent, 12 at 1.03 x, none after month 35.
TEST(CashFlow, LeaseRentEscalatesYearlyAndEndsWithTheTerm) {
  std::string cfg = deterministic_config("lease");
  cfg = replaced(cfg, "lease_escalator = 0.0", "lease_escalator = 0.03");
  cfg = replaced(cfg, "lease_term_years = 15", "lease_term_years = 2");
  const auto run = run_text(cfg, 1);
  const double rent = 100 * 10e6 * 0.12 / 12;
  const double om = 0.012 / 12 * kAccel;
  const double v = std::pow(1.10, -1.0 / 12);
  double npv = -kAccel * std::pow(v, 13) + kAccel * (1 - 48.0 / 60) * std::pow(v, H);
  for (int t = 12; t < H; ++t) {
    const double rent_t = t < 24 ? rent : (t < 36 ? rent * 1.03 : 0.0);
    npv += (kRevenue - kPower - om - rent_t) * std::pow(v, t + 1);
  }
  EXPECT_NEAR(run.paths.metric(kNpvUsdB, 0)[0], npv * 1e-9, 1e-6 * std::fabs(npv * 1e-9));
}

// Two 10k H100-eq sites ramping up together reach a 20k threshold exactly
// when both are full, however the ramp's monthly steps round: with 80% on
// time, the rest 2 months late and a 2-month ramp, the steps sum to an ulp
// under 20k. Full at month 12 + late + ramp; release at the end of it plus
// 6 months of training.
TEST(CashFlow, ThresholdMetExactlyByFullSitesIsReached) {
  struct Supply { int ramp; double allocation; int late; };
  for (const Supply c : {Supply{2, 0.8, 2}, Supply{3, 0.6, 4}, Supply{1, 1.0, 0}}) {
    std::string cfg = config_with_network("[templates.t.activities.build]\nduration = 12\n", test_site("s2", "t"));
    cfg = replaced(cfg, "ramp_months = 0", "ramp_months = " + std::to_string(c.ramp));
    cfg = replaced(cfg, "allocation = 1.0", "allocation = " + std::to_string(c.allocation));
    cfg = replaced(cfg, "late_delivery_months = 0", "late_delivery_months = " + std::to_string(c.late));
    cfg = replaced(cfg, "frontier_threshold_h100eq = 1e12", "frontier_threshold_h100eq = 20000");
    const auto run = run_text(cfg, 1);
    EXPECT_EQ(run.paths.metric(kFirstReleaseMonth, 0)[0], 12 + c.late + c.ramp + 1 + 6)
        << "ramp " << c.ramp << ", allocation " << c.allocation << ", late " << c.late;
  }
}

// first_month_from(x, begin, end) against its definition: the first month t
// in [begin, end) with t + 0.5 >= x, by a plain scan.
TEST(CashFlow, FirstMonthFromMatchesTheMidMonthRule) {
  const auto scan = [](double x, int begin, int end) {
    int t = begin;
    while (t < end && t + 0.5 < x) ++t;
    return t;
  };
  for (const double x : {-5.0, 0.0, 0.1, 0.25, 0.5, 0.5000000000000001, 0.9999999999999999, 1.0, 11.5, 11.500000000000002,
                         12.0, 23.499999999999996, 95.5, 96.0, 200.0, static_cast<double>(INFINITY)})
    for (const auto [begin, end] : {std::pair{0, 96}, std::pair{12, 96}, std::pair{0, 12}, std::pair{5, 5}})
      EXPECT_EQ(first_month_from(x, begin, end), scan(x, begin, end)) << "x " << x << ", [" << begin << ", " << end << ")";
}

// The share by the capacity months equals the formula at every mid-month to the bit: ramps
// that end on a month's mid-point, none, allocations whose two tranches sum to a full share
// short of 1, late deliveries, ready before the valuation and past the horizon.
TEST(CashFlow, OnlineShareInMonthIsTheFormulasToTheBit) {
  constexpr int kMonths = 96;
  int checked = 0;
  for (double ready : {-30.0, -0.5, 0.0, 0.49, 0.5, 7.3, 12.5, 95.4, 300.0})
    for (double late : {0.0, 0.5, 3.0, 17.25})
      for (double ramp : {0.0, 1.0, 4.0, 6.1})
        for (double allocation : {1.0, 0.7, 0.1, 1.0 / 3.0}) {
          SiteState s{};
          s.ready = ready;
          s.late_at = ready + late;
          s.allocation = allocation;
          s.inv_ramp = ramp > 0.0 ? 1.0 / ramp : 0.0;
          set_capacity_months(s, kMonths);
          for (int t = 0; t < kMonths; ++t, ++checked)
            ASSERT_EQ(online_share_in_month(s, t), online_share(s, t + 0.5))
                << "ready " << ready << ", late " << late << ", ramp " << ramp << ", allocation " << allocation << ", month " << t;
        }
  EXPECT_EQ(checked, 9 * 4 * 4 * 4 * kMonths);
}

// The windows that hold each month, walked, against asking each window: overlapping, nested,
// adjacent, empty and out-of-horizon windows.
TEST(CashFlow, MonthWindowsHoldTheMonthsEachWindowHolds) {
  constexpr int kMonths = 96;
  const std::vector<std::pair<std::vector<int>, std::vector<int>>> cases = {
      {{0, 12}, {12, 24}}, {{0, 6, 3}, {12, 9, 30}}, {{5, 5, 40}, {5, 6, 96}}, {{90, 0}, {120, 96}}, {{}, {}}};
  for (const auto& [begin, end] : cases) {
    MonthWindows windows(static_cast<int>(begin.size()), begin.data(), end.data());
    for (int t = 0; t < kMonths; ++t) {
      std::uint32_t expected = 0;
      for (std::size_t w = 0; w < begin.size(); ++w)
        if (t >= begin[w] && t < end[w]) expected |= 1u << w;
      ASSERT_EQ(windows.at(t), expected) << "month " << t << " of " << begin.size() << " windows";
    }
  }
}

TEST(CashFlow, SlipEscalatesFacilityCost) {
  // Ready 6 months after plan with 1%/month escalation: facility cost x 1.06, overrun 6% of facility.
  std::string cfg = deterministic_config("own");
  cfg = replaced(cfg, "duration = 12", "duration = 18");
  cfg = replaced(cfg, "escalation_per_month = 0.0", "escalation_per_month = 0.01");
  const auto run = run_text(cfg, 1);
  EXPECT_NEAR(run.paths.metric(kCapexOverrunPct, 0)[0], 100 * 0.06 * kFacility / (kFacility + kAccel), 1e-4);
}

// The IRR solver against bisection on the annual rate, for cash-flow shapes
// that take each of its routes: the log-ratio step and Newton (near the WACC,
// far above it, below it, and very high), rtsafe (losses after the earning
// years and a book value at the end, as in base.toml's paths that take it:
// checked with a counter in the solver when the case was added), and IRRs
// beyond the bounds.
TEST(Irr, MatchesBisectionOnTheRate) {
  constexpr int kMonths = 96;
  const auto pv = [](const std::vector<double>& c, double rate) {
    const long double v = std::pow(1.0L + rate, -1.0L / 12);
    long double s = 0, w = 1;
    for (double x : c) s += x * (w *= v);
    return s;
  };
  const auto bisect = [&](const std::vector<double>& c) {
    double lo = kIrrMin, hi = kIrrMax;
    const bool falling = pv(c, lo) > 0;  // NPV falls with the rate for invest-then-earn flows
    for (int i = 0; i < 300; ++i) {
      const double mid = 0.5 * (lo + hi);
      ((pv(c, mid) > 0) == falling ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
  };
  const auto solve = [](std::vector<double> c, double wacc) {
    c.resize(kPvLanes * pv_blocks(kMonths), 0.0);
    const double v = monthly_discount_factor(wacc);
    return internal_rate_of_return(c.data(), pv_blocks(kMonths), v, present_values(c.data(), pv_blocks(kMonths), v));
  };
  // Invest `capex` over the first `build` months, then earn `net` a month.
  const auto flows = [](double capex, int build, double net) {
    std::vector<double> c(kMonths, net);
    for (int t = 0; t < build; ++t) c[t] = -capex / build;
    return c;
  };
  struct Case { const char* name; std::vector<double> c; };
  const Case cases[] = {
      {"near the WACC", flows(100, 12, 1.6)},
      {"far above it", flows(100, 6, 12.0)},
      {"very high", flows(100, 1, 14.0)},
      {"below zero", flows(100, 12, 0.6)},
      {"steeply negative", flows(100, 12, 0.05)},
      {"losses after the earning years", [] {
         std::vector<double> c(kMonths);
         for (int t = 0; t < kMonths; ++t) c[t] = t < 24 ? -5.0 : t < 48 ? 2.0 - (t - 24) * 0.1 : -1.5;
         c[kMonths - 1] += 18.0;
         return c;
       }()},
  };
  for (const Case& k : cases) {
    const double expected = bisect(k.c);
    ASSERT_GT(expected, kIrrMin + 1e-3) << k.name;
    ASSERT_LT(expected, kIrrMax - 1e-3) << k.name;
    for (double wacc : {0.08, 0.12}) EXPECT_NEAR(solve(k.c, wacc), expected, 1e-8 * (1 + expected)) << k.name << ", WACC " << wacc;
  }
  EXPECT_EQ(solve(flows(0, 0, 1.0), 0.1), kIrrMax);                   // nothing invested: beyond the upper bound
  EXPECT_EQ(solve(std::vector<double>(kMonths, -1.0), 0.1), kIrrMin);  // nothing earned: beyond the lower bound
}

// The NPV's one pass gives each present value to the bit of its own pass: all the flows, and the
// inflows alone (the flows with the outflows set to 0).
TEST(PresentValue, OnePassGivesBothToTheBit) {
  constexpr int kMonths = 96;
  std::vector<double> c(kPvLanes * pv_blocks(kMonths), 0.0), in(c.size(), 0.0);
  for (int t = 0; t < kMonths; ++t) {
    c[t] = std::sin(0.37 * t) * 1e9 - (t < 20 ? 4e9 : 0.0);
    in[t] = c[t] > 0.0 ? c[t] : 0.0;
  }
  for (double wacc : {-0.5, 0.0, 0.08, 3.0}) {
    const double v = monthly_discount_factor(wacc);
    const PresentValues both = present_values(c.data(), pv_blocks(kMonths), v);
    double d_all, d_in;
    EXPECT_EQ(both.all, present_value(c.data(), pv_blocks(kMonths), v, &d_all));
    EXPECT_EQ(both.d_all, d_all);
    EXPECT_EQ(both.inflows, present_value(in.data(), pv_blocks(kMonths), v, &d_in));
    EXPECT_EQ(both.d_inflows, d_in);
    EXPECT_GT(both.inflows, both.all);
  }
}

// One outflow A in month t1 and one inflow B in month t2: h(x) = ln B - ln A + (t2 - t1) x is
// linear in x = ln v, so the log-ratio step lands on the root v = (A / B)^(1 / (t2 - t1)) from
// any start.
TEST(Irr, LogRatioStepSolvesOneOutflowAndOneInflow) {
  constexpr int kMonths = 96;
  const struct { int t1, t2; double a, b; } cases[] = {{0, 95, 100, 250}, {5, 17, 40, 38}, {30, 31, 1e9, 1.3e9}};
  for (const auto& k : cases) {
    std::vector<double> c(kPvLanes * pv_blocks(kMonths), 0.0);
    c[k.t1] = -k.a;
    c[k.t2] = k.b;
    const double root = std::pow(k.a / k.b, 1.0 / (k.t2 - k.t1));
    for (double wacc : {-0.5, 0.0, 0.1, 3.0}) {
      const double v = monthly_discount_factor(wacc);
      EXPECT_NEAR(log_ratio_step(v, present_values(c.data(), pv_blocks(kMonths), v)), root, 1e-12 * root) << k.t1 << ".." << k.t2 << ", WACC " << wacc;
    }
  }
  // Flows of one sign take no step.
  const std::vector<double> earn(kPvLanes * pv_blocks(kMonths), 1.0);
  const double v = monthly_discount_factor(0.1);
  EXPECT_EQ(log_ratio_step(v, present_values(earn.data(), pv_blocks(kMonths), v)), v);
}

TEST(CashFlow, CalendarWindowsAndOnlineMonthsComeFromTheReportTable) {
  // Facility spent evenly over 2025 (months 0-11), accelerators paid in 2026-01,
  // everything online from month 12: 0 at the end of 2025-06, all by 2026-12.
  const std::string cfg = "[report]\ncapex_windows = [[\"2025-01\", \"2025-12\"], [\"2026-01\", \"2026-12\"], [\"2025-07\", \"2026-06\"]]\n"
                          "online_months = [\"2025-06\", \"2026-12\"]\ncash_every_months = 6\n" + deterministic_config("own");
  const auto run = run_text(cfg, 2);
  std::vector<std::string> names;
  for (const auto& c : run.model.player_columns) names.push_back(c.name);
  const std::vector<std::string> calendar(names.begin() + kFixedPlayerMetrics, names.end());
  const std::vector<std::string> named(calendar.begin(), calendar.begin() + 7);
  EXPECT_EQ(named, (std::vector<std::string>{"capex_2025_usd_b", "capex_2026_usd_b", "capex_2025_07_2026_06_usd_b", "online_h100eq_2025_06",
                                             "online_h100eq_2026_12", "cash_2025_06_usd_b", "cash_2025_12_usd_b"}));
  EXPECT_EQ(calendar.size(), 5u + run.model.months / 6);
  // The kernel writes each kind from its first column, as player_columns() laid them out.
  const CalendarSpec& cal = run.model.calendar;
  EXPECT_EQ(names[cal.capex_column], "capex_2025_usd_b");
  EXPECT_EQ(cal.revenue_column, cal.capex_column + 3);
  EXPECT_EQ(cal.release_column, cal.revenue_column);  // no revenue or release windows
  EXPECT_EQ(names[cal.online_column], "online_h100eq_2025_06");
  EXPECT_EQ(names[cal.cash_column], "cash_2025_06_usd_b");
  // Nothing is earned or spent on operations before the site is online (month 12): the
  // cumulative cash is the facility's spend, half of it by 2025-06 and all by 2025-12.
  EXPECT_NEAR(run.paths.metric(kFixedPlayerMetrics + 5, 0)[0], -kFacility / 2 * 1e-9, 1e-6);
  EXPECT_NEAR(run.paths.metric(kFixedPlayerMetrics + 6, 0)[0], -kFacility * 1e-9, 1e-6);
  EXPECT_EQ(run.model.capex_window_labels, (std::vector<std::string>{"2025", "2026", "2025-07 to 2026-06"}));
  const auto metric = [&](int k) { return static_cast<double>(run.paths.metric(kFixedPlayerMetrics + k, 0)[0]); };
  EXPECT_NEAR(metric(0), kFacility * 1e-9, 1e-6);
  EXPECT_NEAR(metric(1), kAccel * 1e-9, 1e-6);
  EXPECT_NEAR(metric(2), (kFacility / 2 + kAccel) * 1e-9, 1e-6);
  EXPECT_EQ(metric(3), 0.0);
  EXPECT_EQ(metric(4), 10000.0);
}

TEST(CashFlow, FirstMoverShareIsContinuousAsTauGoesToZero) {
  // The premium a later success keeps falls with a shorter tau, and tau = 0 is its limit
  // (0 does not switch the effect off, which would give every success the full premium).
  EXPECT_EQ(first_mover_share(0.0, 0.0), 1.0);  // the first success, or a tie
  EXPECT_EQ(first_mover_share(0.0, 12.0), 1.0);
  EXPECT_EQ(first_mover_share(6.0, 0.0), 0.0);
  EXPECT_NEAR(first_mover_share(6.0, 12.0), std::exp(-0.5), 1e-15);
  EXPECT_LT(first_mover_share(6.0, 1e-3), 1e-300);
  double before = 0.0;
  for (const double tau : {0.0, 0.5, 3.0, 12.0, 36.0, 1e6}) {
    const double share = first_mover_share(6.0, tau);
    EXPECT_GE(share, before) << "tau " << tau;
    before = share;
  }
  EXPECT_GT(first_mover_share(6.0, 1e6), 0.9999);
}
