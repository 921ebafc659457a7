// Programmes (docs/MODEL.md 9) and the required revenue, against references
// written here month by month from the model's text: the fleet fills each
// period's books, comes online after its lag, and is costed and valued like
// owned capacity; the required revenue reproduces Sequoia's arithmetic.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "host/config/config_error.hpp"
#include "host/metrics/aggregate.hpp"
#include "kernels/capacity_walk.hpp"
#include "kernels/cost_walk.hpp"
#include "kernels/programme.hpp"
#include "test_support.hpp"

using namespace buildout;
using namespace buildout::testing;

namespace {

double clamp01d(double x) { return x < 0 ? 0 : (x > 1 ? 1 : x); }

// One own site (100 MW at $10M/MW over months 0-11, 10,000 accelerators at $30k
// paid at month 12, online from 12) and a programme: half of $4B reported in
// 2025 and half of $4B guided for 2026 is AI capex; $10B per GW of 1 kW
// accelerators (1e-4 H100-eq per $), online 3 months after payment.
std::string programme_config(const std::string& lag = "3", const std::string& margin = "0.25") {
  std::string cfg = config_with_network("[templates.t.activities.build]\nduration = 12\n",
                                        "[report]\ncapex_windows = [[\"2025-01\", \"2025-12\"], [\"2026-01\", \"2026-12\"]]\n"
                                        "online_months = [\"2026-12\"]\nrequired_revenue_margin = " + margin + "\n"
                                        R"(
[players.p.programme]
ai_share = 0.5
capex_basis = "cash"
accelerator = "h"
region = "r"
usd_b_per_gw = 10
lag_months = )" + lag + R"(
accelerator_share = 0.5
facility_life_years = 20
guidance = [{ from = "2026-01", to = "2026-12", usd_b = 4.0, guided_usd_b = [3.5, 4.5] }]

[actuals]
capex = [{ player = "p", from = "2025-01", to = "2025-12", usd_b = 4.0 }]
)");
  cfg = replaced(cfg, "horizon_months = 96", "data_date = \"2026-01\"\nhorizon_months = 60");
  cfg = replaced(cfg, "om_share_per_year = 0.0", "om_share_per_year = 0.012");
  return cfg;
}

constexpr int H = 60;
constexpr double kFacility = 1e9, kAccel = 3e8, kPerUsd = 1e-4;

struct Reference {
  double npv, capex_2025, capex_2026, online_2026_12, required, pv_revenue;
};

// The model's text, month by month: spend, capacity at mid-month, revenue at
// $2 x 730 h (utilisation 1, every multiple 1), power at 1 kW x $50/MWh, O&M
// 1.2% a year of capital in service, book value at the horizon.
Reference reference(double lag, double margin) {
  std::vector<double> fleet(24);
  for (int t = 0; t < 24; ++t) fleet[t] = t < 12 ? (2e9 - kFacility) / 12 : (2e9 - kAccel) / 12;
  const double v = std::pow(1.10, -1.0 / 12);
  double npv = 0, pv_revenue = 0, pv_online = 0, online = 0, residual = 0;
  for (int u = 0; u < H; ++u) {
    const bool site_on = u >= 12;
    double fleet_online = 0, fleet_capital = 0;
    for (int t = 0; t < 24; ++t) {
      fleet_capital += fleet[t] * clamp01d(u - t - lag);
      fleet_online += fleet[t] * kPerUsd * clamp01d(u - t - lag);
    }
    online = (site_on ? 10000.0 : 0.0) + fleet_online;
    const double revenue = online * 2.0 * 730;
    const double power = online * 1e-3 * 50 * 730;
    const double om = 0.012 / 12 * ((site_on ? kFacility + kAccel : 0.0) + fleet_capital);
    const double spend = (u < 12 ? kFacility / 12 : 0.0) + (u == 12 ? kAccel : 0.0) + (u < 24 ? fleet[u] : 0.0);
    const double d = std::pow(v, u + 1);
    npv += (revenue - power - om - spend) * d;
    pv_revenue += revenue * d;
    pv_online += online * d;
  }
  residual += kFacility * (1 - 48.0 / 240) + kAccel * (1 - 48.0 / 60);
  for (int t = 0; t < 24; ++t) {
    const double placed = t + 1.0 + lag;
    residual += placed > H ? fleet[t]
                           : 0.5 * fleet[t] * clamp01d(1 - (H - placed) / 60) + 0.5 * fleet[t] * clamp01d(1 - (H - placed) / 240);
  }
  npv += residual * std::pow(v, H);
  double online_2026_12 = 10000;
  for (int t = 0; t < 24; ++t) online_2026_12 += fleet[t] * kPerUsd * clamp01d(24 - (t + 0.5 + lag));
  const double required = (pv_revenue - npv) / ((1 - margin) * pv_online / (12 * online));
  return {npv, 2e9, 2e9, online_2026_12, required, pv_revenue};
}

}  // namespace

TEST(Programme, FleetFillsTheBooksAndMatchesAMonthByMonthReference) {
  for (const double lag : {3.0, 4.4}) {
    char lag_text[16];
    std::snprintf(lag_text, sizeof lag_text, "%.1f", lag);
    const auto run = run_text(programme_config(lag_text), 2);
    const Reference ref = reference(lag, 0.25);
    const auto metric = [&](int m) { return static_cast<double>(run.paths.metric(m, 0)[1]); };
    EXPECT_NEAR(metric(kNpvUsdB), ref.npv * 1e-9, 1e-6 * std::fabs(ref.npv * 1e-9)) << "lag " << lag;
    EXPECT_NEAR(metric(kFixedPlayerMetrics), ref.capex_2025 * 1e-9, 1e-6);      // the actual: exactly the books
    EXPECT_NEAR(metric(kFixedPlayerMetrics + 1), ref.capex_2026 * 1e-9, 1e-6);  // the guidance, the named site inside it
    EXPECT_NEAR(metric(kFixedPlayerMetrics + 2), ref.online_2026_12, 1e-6 * ref.online_2026_12);  // float results
    EXPECT_NEAR(metric(kRequiredRevenueUsdB), ref.required * 1e-9, 1e-6 * ref.required * 1e-9);
    const bool above = ref.npv >= 0.25 * ref.pv_revenue;
    EXPECT_EQ((run.paths.flags(0)[1] >> kProbRevenueAboveRequired) & 1u, above ? 1u : 0u);
  }
}

TEST(Programme, AnActualPinsCapexEvenWhereTheNamedSitesSpendMore) {
  // $0.6B reported against the named site's $1B in 2025: the period's capex is
  // the books' $0.3B AI share, the excess taken as financed outside it.
  const std::string cfg = replaced(programme_config(), "from = \"2025-01\", to = \"2025-12\", usd_b = 4.0", "from = \"2025-01\", to = \"2025-12\", usd_b = 0.6");
  const auto run = run_text(cfg, 2);
  EXPECT_NEAR(run.paths.metric(kFixedPlayerMetrics, 0)[0], 0.3, 1e-6);
  // Guidance below the named sites' spend does not pin it: capex is what they spend.
  const std::string low = replaced(cfg, "usd_b = 4.0, guided_usd_b", "usd_b = 0.2, guided_usd_b");
  EXPECT_NEAR(run_text(low, 2).paths.metric(kFixedPlayerMetrics + 1, 0)[0], kAccel * 1e-9, 1e-6);
}

TEST(Programme, SiteSpendInAgreesWithTheMonthlySpread) {
  // site_spend_in over any window equals the sum of add_site_spend's months.
  for (const double begin : {-3.0, 0.0, 2.5})
    for (const double ready : {0.0, 7.25, 30.6})
      for (const double late : {0.0, 4.5}) {
        SiteState s{};
        s.facility_begin = begin;
        s.ready = ready;
        s.late_at = ready + late;
        s.allocation = 0.7;
        s.facility_usd = 1e9;
        s.accelerator_usd = 5e8;
        std::vector<double> spend(48, 0.0);
        add_site_spend(s, 48, spend.data());
        for (const auto [t0, t1] : {std::pair{0, 48}, std::pair{0, 12}, std::pair{7, 31}, std::pair{30, 31}}) {
          double sum = 0;
          for (int t = t0; t < t1; ++t) sum += spend[t];
          EXPECT_NEAR(site_spend_in(s, t0, t1), sum, 1e-6) << begin << " " << ready << " " << late << " [" << t0 << ", " << t1 << ")";
        }
      }
}

TEST(RequiredRevenue, ReproducesSequoiasArithmeticInTheDegenerateCase) {
  // Sequoia, "AI's $600B question" (Jun 2024): GPU spend x 2 for the datacenter,
  // x 2 for a 50% margin. Degenerate: the datacenter costs what its GPUs do, all
  // paid and online at month 0, one year at WACC 0, nothing left at the horizon.
  std::string cfg = config_with_network("[templates.t.activities.build]\nduration = 0\n",
                                        "[report]\nrequired_revenue_margin = 0.5\n");
  cfg = replaced(cfg, "horizon_months = 96", "horizon_months = 12");
  cfg = replaced(cfg, "wacc = 0.10", "wacc = 0.0");
  cfg = replaced(cfg, "kw_per_unit = 1.0\nlife_years = 5", "kw_per_unit = 0.0\nlife_years = 1e-9");
  cfg = replaced(cfg, "construction_start = \"2025-01\"\nplanned_ready = \"2026-01\"", "construction_start = \"2025-01\"\nplanned_ready = \"2025-01\"");
  cfg = replaced(cfg, "cost_per_mw_usd_m = 10", "cost_per_mw_usd_m = 3\nfacility_life_years = 1e-9");  // 100 MW x $3M = 10,000 x $30k
  const double gpu_spend = 10000 * 30000.0;
  const auto run = run_text(cfg, 2);
  EXPECT_NEAR(run.paths.metric(kRequiredRevenueUsdB, 0)[0], gpu_spend * 2 * 2 * 1e-9, 1e-6);
}

TEST(Programme, BadPeriodsAreRefusedByName) {
  const std::string good = programme_config();
  expect_config_error(replaced(good, "to = \"2025-12\", usd_b = 4.0", "to = \"2026-03\", usd_b = 4.0"),
                 {"<test>:", "actuals.capex", "after the data date 2026-01"});
  expect_config_error(replaced(good, "from = \"2026-01\", to = \"2026-12\", usd_b = 4.0", "from = \"2025-10\", to = \"2026-12\", usd_b = 4.0"),
                 {"players.p.programme.guidance", "before the data date"});
  expect_config_error(replaced(good, "usd_b = 4.0 }]", "usd_b = 4.0 }, { player = \"p\", from = \"2025-07\", to = \"2025-09\", usd_b = 1.0 }]"),
                 {"actuals.capex", "quarters overlap", "2025-07 to 2025-09"});
  expect_config_error(replaced(good, "from = \"2025-01\", to = \"2025-12\"", "from = \"2025-02\", to = \"2025-12\""), {"whole calendar quarters"});
  expect_config_error(replaced(good, "[{ player = \"p\"", "[{ player = \"q\""), {"actuals.capex.player", "unknown player \"q\""});
  expect_config_error(replaced(good, "guided_usd_b = [3.5, 4.5]", "guided_usd_b = [4.5, 3.5]"), {"guided_usd_b", "low <= high"});
  expect_config_error(replaced(good, "valuation = \"2025-01\"", "start = \"2025-01\""), {"run.start", "renamed", "valuation"});
  expect_config_error(replaced(good, "data_date = \"2026-01\"", "data_date = \"2024-12\""), {"run.data_date", "at or after the valuation date"});
}

TEST(Books, BaseCapexMatchesTheReportedAndGuidedFigures) {
  // base.toml at its data date: 2025 is an actual, so each player's modelled 2025 capex is the
  // reported figure times its AI share within 2% on every path; the 2026 P50 over the share lies
  // in the guided range.
  const auto run = run_file(source_path("configs/base.toml"), 4000, 21, 2, 4000);
  const Results res = aggregate(run.model, run.paths, 2);
  ASSERT_EQ(res.player_columns[kFixedPlayerMetrics].name, "capex_2025_usd_b");
  ASSERT_EQ(res.player_columns[kFixedPlayerMetrics + 1].name, "capex_2026_usd_b");
  for (const auto& p : res.players) {
    if (p.is_owner) continue;  // no programme, no books
    ASSERT_TRUE(p.books.present) << p.id;
    const BooksFigure &reported = p.books.windows[0], &guided = p.books.windows[1];
    ASSERT_EQ(reported.kind, "reported") << p.id;
    ASSERT_EQ(guided.kind, "guided") << p.id;
    const Summary& y2025 = p.metrics[kFixedPlayerMetrics];
    EXPECT_NEAR(y2025.percentile(1), reported.ai_lo, 0.02 * reported.ai_lo) << p.id;
    EXPECT_NEAR(y2025.percentile(99), reported.ai_lo, 0.02 * reported.ai_lo) << p.id;
    const double p50 = p.metrics[kFixedPlayerMetrics + 1].percentile(50) / p.books.ai_share;
    EXPECT_GE(p50, guided.total_lo) << p.id;
    EXPECT_LE(p50, guided.total_hi) << p.id;
  }
}

TEST(Books, NewCapacityEarnsLessIn2025ThanTheSourcedAiRevenue) {
  // The model's revenue is what the 2025-26 capex earns; a company's AI revenue also counts what
  // was built before. Microsoft's AI business ran at $13B a year in Jan 2025 and OpenAI's at $5.5B
  // in Dec 2024 (FACTS: Prices and revenue), so 2025's AI revenue was at least $18.5B: new capacity
  // cannot have earned more than that in 2025 on any but the rarest paths.
  const auto run = run_file(source_path("configs/base.toml"), 4000, 22, 2, 4000);
  const Results res = aggregate(run.model, run.paths, 2);
  int column = -1;
  for (size_t k = 0; k < res.player_columns.size(); ++k)
    if (res.player_columns[k].name == "revenue_2025_usd_b") column = static_cast<int>(k);
  ASSERT_GE(column, 0);
  for (const auto& p : res.players)
    if (p.id == "microsoft") EXPECT_LT(p.metrics[column].percentile(99), 18.5);
}

TEST(AllInCost, BaseGb200SitesLandInTheSourcedRangePerGw) {
  // All-in $44-50B per GW of IT load (FACTS: Cost): facility (the owner's or the lessor's),
  // owner-furnished equipment, accelerators and the hardware beside them, at each draw's mean,
  // over base.toml's GB200 sites together.
  const Config cfg = load_config_file(source_path("configs/base.toml"));
  double usd = 0, mw = 0;
  for (const auto& s : cfg.sites) {
    const Accelerator& acc = cfg.accelerators[s.accelerator];
    if (acc.id != "gb200") continue;
    usd += s.it_mw * (s.cost_per_mw_usd_m.mean() + s.owner_furnished_usd_m_per_mw.mean()) * 1e6 +
           s.accelerator_count * (acc.price_usd.mean() * cfg.market.gpu_price_index.mean() + acc.other_it_usd.mean());
    mw += s.it_mw;
  }
  ASSERT_GT(mw, 0);
  const double usd_b_per_gw = usd / mw * 1e-3 * 1e-6 * 1e3;  // $ per MW -> $B per GW
  EXPECT_GE(usd_b_per_gw, 44.0);
  EXPECT_LE(usd_b_per_gw, 50.0);
}

namespace buildout::testing {
namespace {

std::string financed_programme(const std::string& share, const std::string& rate, const std::string& years) {
  std::string cfg = replaced(programme_config(), "capex_basis = \"cash\"", "capex_basis = \"incl_finance_leases\"\nfinance_lease_share = " + share +
                                                                            "\nfinance_lease_rate = " + rate + "\nfinance_lease_term_years = " + years);
  return cfg;
}

TEST(FinanceLeases, InstallmentsAtTheWaccLeaveTheNpvAndTheBooksAsTheyWere) {
  // Installments in arrears at the lease rate are worth what was booked when discounted at that
  // rate: at a lease rate equal to the WACC (10%) the NPV cannot move, whether the lease ends
  // inside the horizon (2 years) or runs past it (10 years: what is still owed comes off the book value).
  const auto cash = run_text(programme_config(), 2);
  for (const char* years : {"2", "10"}) {
    const auto leased = run_text(financed_programme("0.5", "0.10", years), 2);
    EXPECT_NEAR(leased.paths.metric(kNpvUsdB, 0)[0], cash.paths.metric(kNpvUsdB, 0)[0], 1e-5) << years;
    EXPECT_EQ(leased.paths.metric(kCapexUsdB, 0)[0], cash.paths.metric(kCapexUsdB, 0)[0]) << years;  // the reported basis
    EXPECT_EQ(leased.paths.metric(kFixedPlayerMetrics, 0)[0], cash.paths.metric(kFixedPlayerMetrics, 0)[0]) << years;
  }
}

TEST(FinanceLeases, InstallmentsSumToTheAnnuityOfWhatWasFinanced) {
  // A 2-year lease ends inside the 60-month horizon: the extra opex is n x installment per
  // financed dollar, installment = r / (1 - (1 + r)^-n), r the monthly rate.
  const auto cash = run_text(programme_config(), 2);
  const auto leased = run_text(financed_programme("0.5", "0.042", "2"), 2);
  const double r = std::pow(1.042, 1.0 / 12.0) - 1.0, n = 24;
  const double fleet = cash.paths.metric(kCapexUsdB, 0)[0] * 1e9 - (kFacility + kAccel);  // the named site's capex is cash
  const double extra = (leased.paths.metric(kOpexUsdB, 0)[0] - cash.paths.metric(kOpexUsdB, 0)[0]) * 1e9;
  EXPECT_NEAR(extra, 0.5 * fleet * n * r / (1.0 - std::pow(1.0 + r, -n)), 1e-6 * fleet);
  // Financed below the WACC, the build is worth more.
  EXPECT_GT(leased.paths.metric(kNpvUsdB, 0)[0], cash.paths.metric(kNpvUsdB, 0)[0]);
}

TEST(FinanceLeases, OnlyACapexBasisThatCountsThemMayFinanceCapex) {
  expect_config_error(replaced(financed_programme("0.5", "0.042", "2"), "capex_basis = \"incl_finance_leases\"", "capex_basis = \"cash\""),
                      {"players.p.programme.finance_lease_share", "incl_finance_leases"});
  expect_config_error(replaced(financed_programme("0.5", "0.042", "2"), "finance_lease_rate = 0.042\n", ""),
                      {"players.p.programme.finance_lease_rate"});
  expect_config_error(financed_programme("1.5", "0.042", "2"), {"players.p.programme.finance_lease_share"});
}

}  // namespace
}  // namespace buildout::testing

// The capacity walk (kernels/capacity_walk.hpp) against the monthly arrays it replaced, written
// here as they were filled: each site's share changes from its first online month until full,
// then each period's cohorts lagged in. Sites with and without ramps, late deliveries, ready
// before the valuation and past the horizon; levels equal to the bit, month by month.
TEST(CapacityWalk, LevelsEqualTheMonthlyArraysToTheBit) {
  const CompiledModel model = compile_model(load_config_file(source_path("configs/base.toml")), 1);
  const ModelView m = model.view();
  std::vector<double> g(m.n_global_draws, 1.0);
  std::vector<SiteState> sites(m.n_sites);
  const double readies[] = {-7.3, 0.2, 11.5, 30.0, 95.6, 400.0};
  for (int s = 0; s < m.n_sites; ++s) {
    SiteState& st = sites[s];
    st = SiteState{};
    st.ready = readies[s % 6];
    st.late_at = st.ready + (s % 3) * 2.5;
    st.allocation = 0.6;
    st.inv_ramp = s % 2 ? 1.0 / (20.0 + s) : 0.0;  // long ramps: the fleet adds to months the sites change
    set_capacity_months(st, m.months);
    g[m.sites[s].region_draw] = 40.0 + s;
  }
  std::vector<double> fleet_rate(kMaxProgrammePeriods);
  for (int p = 0; p < m.n_players; ++p) {
    const PlayerSpec& pl = m.players[p];
    if (pl.period_begin != pl.period_end) {
      g[pl.programme_draw + kLagMonths] = 2.0 + 0.37 * p;
      g[pl.programme_draw + kUsdBPerGw] = 35.0 + p;
      g[pl.programme_region_draw] = 60.0;
    }
    for (int k = 0; k < pl.period_end - pl.period_begin; ++k) fleet_rate[k] = (k % 3 == 1 ? -1e8 : 3e9) * (1 + k);
    std::vector<double> h100eq(m.months, 0.0), power(m.months, 0.0);
    for (int s = pl.site_begin; s < pl.site_end; ++s) {
      const SiteState& st = sites[s];
      const double full = full_online_share(st);
      double before = 0.0;
      for (int t = first_online_month(st); t < m.months && before != full; ++t) {
        const double share = online_share(st, t + 0.5);
        h100eq[t] += site_h100eq(m.sites[s]) * (share - before);
        power[t] += site_power_usd_per_hour(m.sites[s], g.data()) * (share - before);
        before = share;
      }
    }
    for (int k = pl.period_begin; k < pl.period_end; ++k) {
      const MonthSpan span = inside_horizon(m.programme_periods[k], m.months);
      const double h = cohort_spend(fleet_rate[k - pl.period_begin]) * fleet_h100eq_per_usd(pl, g.data());
      add_lagged(h100eq.data(), span, h, g[pl.programme_draw + kLagMonths], m.months);
      add_lagged(power.data(), span, h * (pl.kw_per_h100eq * 1e-3 * g[pl.programme_region_draw]), g[pl.programme_draw + kLagMonths], m.months);
    }
    CapacityWalk walk(m, p, g.data(), sites.data(), fleet_rate.data());
    double online = 0, online_ref = 0, bill = 0, bill_ref = 0;
    for (int t = 0; t < m.months; ++t) {
      double power_change;
      online += walk.change_at(t, &power_change);
      bill += power_change;
      online_ref += h100eq[t];
      bill_ref += power[t];
      EXPECT_EQ(online, online_ref) << model.player_ids[p] << " month " << t;
      EXPECT_EQ(bill, bill_ref) << model.player_ids[p] << " month " << t;
    }
    EXPECT_GT(online, 0.0) << model.player_ids[p];
  }
}

namespace {

// A site's fixed costs as changes in a monthly row, as the path kernel filled it before CostWalk
// walked them (the reference the walk is held to): O&M from the first month online and its step
// at the late delivery, then the rent, visited only in the months where its lease year changes.
void add_site_cost_row(const SiteSpec& spec, const SiteState& s, double om_per_month, int H, double* cost_change) {
  const int begin = first_online_month(s);
  if (begin >= H) return;
  const double early = om_per_month * (s.facility_usd + s.allocation * s.accelerator_usd);
  const double late = om_per_month * (s.facility_usd + s.accelerator_usd);
  const int late_month = first_month_from(s.late_at, begin, H);
  cost_change[begin] += early;
  if (late_month < H) cost_change[late_month] += late - early;
  if (spec.own) return;
  const int end = first_month_from(s.ready + spec.lease_term_months, begin, H);
  if (begin >= end) return;
  const auto year_of = [&](int t) { return floor((t + 0.5 - s.ready) / 12.0); };
  const auto rent_in = [&](double year) { return s.lease_rent_usd_per_month * pow(1.0 + spec.lease_escalator, year); };
  double year = year_of(begin), rent = rent_in(year);
  cost_change[begin] += rent;
  for (int t = begin;;) {
    int next = first_month_from(s.ready + 12.0 * (year + 1.0), t + 1, end);
    while (next > t + 1 && year_of(next - 1) > year) --next;
    while (next < end && year_of(next) <= year) ++next;
    if (next >= end) break;
    year = year_of(next);
    const double r = rent_in(year);
    cost_change[next] += r - rent;
    rent = r;
    t = next;
  }
  if (end < H) cost_change[end] -= rent;
}

}  // namespace

// The cost walk (kernels/cost_walk.hpp) against the monthly row it replaced, filled here as it was
// filled: each site's O&M and rent, then each period's cohorts' O&M lagged in, then the finance
// installments. base.toml's players, with every site leased on a short lease (anniversaries and
// an end within the horizon), ready before the valuation, inside and past the horizon, and a
// finance-lease term short enough that installments end within it; each month's change and
// the level equal to the bit. Amounts are far from round, so that a change summed in another
// order shows.
TEST(CostWalk, LevelsEqualTheMonthlyRowToTheBit) {
  const CompiledModel model = compile_model(load_config_file(source_path("configs/base.toml")), 1);
  ModelView m = model.view();
  std::vector<SiteSpec> specs(m.sites, m.sites + m.n_sites);
  std::vector<PlayerSpec> players(m.players, m.players + m.n_players);
  m.sites = specs.data();
  m.players = players.data();
  std::vector<double> g(m.n_global_draws, 1.0);
  std::vector<SiteState> sites(m.n_sites);
  // -160 (units 1 and 11, both leased for 25 years): a lease in its 14th year at the valuation
  // date, in its 21st by the horizon.
  const double readies[] = {-7.3, -160.0, 11.5, 3.7, 30.0, 14.2, 95.6, 400.0, 5.5, 0.2};
  int leased = 0;
  for (int s = 0; s < m.n_sites; ++s) {
    SiteSpec& spec = specs[s];
    spec.own = s % 3 == 0;
    leased += !spec.own;
    spec.lease_term_months = readies[s % 10] < -100.0 ? 300.0 : 20.0 + 7.0 * s;
    spec.lease_escalator = 0.031 * (1 + s % 2);
    SiteState& st = sites[s];
    st = SiteState{};
    st.ready = readies[s % 10];
    st.late_at = st.ready + (s % 4) * 2.5;
    st.allocation = 0.6;
    st.inv_ramp = s % 2 ? 1.0 / (20.0 + s) : 0.0;
    st.facility_usd = spec.own ? 2.1e9 * (1.0 + 0.1371 * s) : 0.0;
    st.accelerator_usd = 3.3e9 * (1.0 + 0.2917 * s);
    st.lease_rent_usd_per_month = spec.own ? 0.0 : 1.3e7 * (1.0 + 0.3173 * s);
    set_capacity_months(st, m.months);
    set_cost_months(st, spec, m.months);
  }
  ASSERT_GT(leased, 4);
  // The escalators changed: the model's table of (1 + escalator)^k is made again, as compile_model makes it.
  std::vector<double> escalation;
  for (const SiteSpec& spec : specs)
    for (int k = 0; k < kLeaseEscalationYears; ++k) escalation.push_back(std::pow(1.0 + spec.lease_escalator, static_cast<double>(k)));
  m.lease_escalation = escalation.data();
  std::vector<double> fleet_rate(kMaxPlayers * kMaxProgrammePeriods);
  int financed_players = 0, changes = 0;
  for (int p = 0; p < m.n_players; ++p) {
    PlayerSpec& pl = players[p];
    if (pl.period_begin != pl.period_end) {
      g[pl.programme_draw + kLagMonths] = 2.0 + 0.37 * p;
      g[pl.programme_draw + kUsdBPerGw] = 35.0 + p;
    }
    pl.om_share_per_year = 0.0213 + 0.0051 * p;
    if (p % 2 == 0 && pl.period_begin != pl.period_end) {
      pl.finance_lease_share = 0.3;
      pl.finance_lease_months = 7 + p;
      pl.finance_lease_monthly_rate = p == 0 ? 0.0 : 0.004;  // both ways of sizing an installment
      const double r = pl.finance_lease_monthly_rate;
      pl.finance_installment_per_usd = r > 0.0 ? r / (1.0 - std::pow(1.0 + r, -pl.finance_lease_months)) : 1.0 / pl.finance_lease_months;
      ++financed_players;
    } else {
      pl.finance_lease_share = 0.0;
    }
    double* rate = fleet_rate.data() + pl.period_begin;
    for (int k = 0; k < pl.period_end - pl.period_begin; ++k) rate[k] = (k % 3 == 1 ? -1.1e8 : 3.1e9) * (1.0 + 0.377 * k);
    const int H = m.months;
    std::vector<double> row(H, 0.0);
    for (int s = pl.site_begin; s < pl.site_end; ++s) add_site_cost_row(specs[s], sites[s], pl.om_share_per_year / 12.0, H, row.data());
    for (int k = pl.period_begin; k < pl.period_end; ++k)
      add_lagged(row.data(), inside_horizon(m.programme_periods[k], H), pl.om_share_per_year / 12.0 * cohort_spend(rate[k - pl.period_begin]),
                 g[pl.programme_draw + kLagMonths], H);
    if (pl.finance_lease_share > 0.0)
      for (int k = pl.period_begin; k < pl.period_end; ++k) {
        const double financed = pl.finance_lease_share * cohort_spend(rate[k - pl.period_begin]);
        if (financed <= 0.0) continue;
        const int n = pl.finance_lease_months;
        const double installment = financed * pl.finance_installment_per_usd;
        const MonthSpan span = inside_horizon(m.programme_periods[k], H);
        for (int t = span.lo; t < span.hi; ++t) {
          if (t + 1 < H) row[t + 1] += installment;
          if (t + n + 1 < H) row[t + n + 1] -= installment;
        }
      }
    CapacityWalk walk(m, p, g.data(), sites.data(), rate);
    CostWalk costs(m, p, sites.data(), rate);
    double level = 0.0, level_ref = 0.0;
    for (int t = 0; t < H; ++t) {
      double power, change = 0.0;
      costs.add_sites(t, change);
      walk.change_at(t, &power, &change);
      costs.add_installments(t, change);
      level += change;
      level_ref += row[t];
      changes += row[t] != 0.0;
      EXPECT_EQ(change, row[t]) << model.player_ids[p] << " month " << t;
      EXPECT_EQ(level, level_ref) << model.player_ids[p] << " month " << t;
    }
  }
  EXPECT_GE(financed_players, 2);
  EXPECT_GT(changes, 100);
}

TEST(CostWalk, AnniversariesTwelveMonthsApartAreTheMidPointRulesMonths) {
  // The walk finds a lessee's first anniversary by the mid-point rule and steps 12 months from
  // there (add_site_cost_change). The rule's own months, month by month, must be the same for
  // ready dates in and before the horizon: exact ones (whole and half months, where t + 0.5 - R
  // is a multiple of 12 exactly) and 200,000 spread over them at random.
  std::vector<double> readies;
  for (int k = -400; k <= 200; ++k) readies.push_back(k / 2.0);
  std::uint64_t x = 0x9e3779b97f4a7c15ull;
  for (int k = 0; k < 200000; ++k) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    readies.push_back(-200.0 + 300.0 * static_cast<double>(x >> 11) * 0x1.0p-53);
  }
  const int end = kMaxMonths;
  int steps = 0;
  for (double ready : readies) {
    SiteState s{};
    s.ready = ready;
    const int begin = first_month_from(ready, 0, end);
    if (begin >= end) continue;
    double year = lease_year(s, begin);
    int a = first_anniversary_after(s, begin, year, end);
    for (int t = begin + 1; t < end; ++t) {
      const bool rule = lease_year(s, t) > lease_year(s, t - 1);
      ASSERT_EQ(rule, t == a) << "ready " << ready << " month " << t;
      if (t == a) {
        ASSERT_EQ(lease_year(s, t), year + 1.0) << "ready " << ready << " month " << t;
        year += 1.0;
        a += 12;
        ++steps;
      }
    }
  }
  EXPECT_GT(steps, 2000000);
}
