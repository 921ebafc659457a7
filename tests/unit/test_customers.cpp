// The customers' ceiling on revenue ([players.<id>.customers]) against a
// month-by-month reference on a site whose revenue is known in closed form.
#include <cmath>

#include "test_support.hpp"

namespace buildout::testing {
namespace {

// 10,000 H100 online from month 0 at $2/h, fully used, half rented and half
// own use at multiple 1: $14.6M of revenue every month for 96 months.
constexpr double kMonthlyRevenue = 10000 * 2.0 * 730;

std::string online_from_the_start(const std::string& customers, double growth = 0.0) {
  std::string cfg = config_with_network("[templates.t.activities.build]\nduration = 0\n", "[players.p.customers]\n" + customers);
  cfg = replaced(cfg, "construction_start = \"2025-01\"\nplanned_ready = \"2026-01\"", "construction_start = \"2025-01\"\nplanned_ready = \"2025-01\"");
  return replaced(cfg, "demand_growth_per_year = 0.0", "demand_growth_per_year = " + std::to_string(growth));
}

double metric(const EngineRun& run, PlayerMetric k) { return run.paths.metric(k, 0)[0] * 1e9; }

TEST(CustomerCeiling, CapsEveryMonthAtTheSpendAlone) {
  const auto run = run_text(online_from_the_start("spend_usd_b_per_year = 0.12\n"), 2);  // $10M a month
  EXPECT_NEAR(metric(run, kRevenueUsdB), 96 * 10e6, 96 * 10e6 * 1e-6);
  EXPECT_NEAR(metric(run, kRevenueOverCeilingUsdB), 96 * (kMonthlyRevenue - 10e6), 96 * kMonthlyRevenue * 1e-6);
  EXPECT_TRUE((run.paths.flags(0)[0] & flag_of(kProbRevenueCapped)));
}

TEST(CustomerCeiling, TheBacklogLiftsItOverItsTermFromTheDataDate) {
  // $0.24B x 0.5 over 24 months: $5M a month more from the data date (2026-01, month 12) to month 36.
  // Not reported online, the site is ready at the data date (the data-date rule), and earns from it.
  const auto run = run_text(replaced(online_from_the_start("spend_usd_b_per_year = 0.12\nbacklog_usd_b = 0.24\n"
                                                           "backlog_ai_share = 0.5\nbacklog_months = 24\n"),
                                     "horizon_months = 96", "horizon_months = 96\ndata_date = \"2026-01\""),
                            2);
  const double earned = 24 * kMonthlyRevenue + 60 * 10e6;
  EXPECT_NEAR(metric(run, kRevenueUsdB), earned, earned * 1e-6);
  EXPECT_NEAR(metric(run, kRevenueOverCeilingUsdB), 60 * (kMonthlyRevenue - 10e6), 96 * kMonthlyRevenue * 1e-6);
}

TEST(CustomerCeiling, SpendGrowsWithTheMarketsDemand) {
  // Growth 0.5 a year, elasticity 0 (the price does not move): the spend passes the revenue
  // during year 1, so the early months are capped and the later ones are not.
  const double growth = 0.5;
  const auto run = run_text(online_from_the_start("spend_usd_b_per_year = 0.12\n", growth), 2);
  double earned = 0, over = 0;
  for (int t = 0; t < 96; ++t) {
    const double ceiling = 10e6 * std::exp(growth * (t + 0.5) / 12.0);  // data date = valuation date
    earned += std::min(kMonthlyRevenue, ceiling);
    over += std::max(0.0, kMonthlyRevenue - ceiling);
  }
  ASSERT_GT(over, 0.0);
  EXPECT_NEAR(metric(run, kRevenueUsdB), earned, earned * 1e-6);
  EXPECT_NEAR(metric(run, kRevenueOverCeilingUsdB), over, earned * 1e-6);
}

TEST(CustomerCeiling, AHighCeilingChangesNothing) {
  const auto capped = run_text(online_from_the_start("spend_usd_b_per_year = 1000\n"), 2);
  const auto free = run_text(config_with_network("[templates.t.activities.build]\nduration = 0\n"), 2);
  EXPECT_EQ(metric(capped, kRevenueOverCeilingUsdB), 0.0);
  EXPECT_FALSE((capped.paths.flags(0)[0] & flag_of(kProbRevenueCapped)));
  EXPECT_EQ(metric(free, kRevenueOverCeilingUsdB), 0.0);
}

TEST(CustomerCeiling, BadValuesAreRefusedByKey) {
  expect_config_error(online_from_the_start("spend_usd_b_per_year = -1\n"), {"players.p.customers.spend_usd_b_per_year"});
  expect_config_error(online_from_the_start("spend_usd_b_per_year = 1\nbacklog_ai_share = 1.5\n"), {"players.p.customers.backlog_ai_share"});
  expect_config_error(online_from_the_start("spend_usd_b_per_year = 1\nbacklog_months = 0\n"), {"players.p.customers.backlog_months"});
  expect_config_error(online_from_the_start("spend_usd_b_per_year = 1\nbacklog = 3\n"), {"players.p.customers", "backlog"});
  expect_config_error(online_from_the_start(""), {"players.p.customers", "spend_usd_b_per_year"});
}

}  // namespace
}  // namespace buildout::testing
