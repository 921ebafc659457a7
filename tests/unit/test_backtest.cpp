// The backtest: a recorded outcome's percentile in the model's distribution,
// against the closed form of a lone triangular activity. The command's handling
// of bad outcome files is in integration/test_commands.cpp.
#include <gtest/gtest.h>

#include "host/metrics/backtest.hpp"
#include "test_support.hpp"

using namespace buildout;
using namespace buildout::testing;

namespace {

double triangular_cdf(double x, double a, double m, double b) {
  if (x <= a) return 0;
  if (x >= b) return 1;
  return x <= m ? (x - a) * (x - a) / ((b - a) * (m - a)) : 1 - (b - x) * (b - x) / ((b - a) * (b - m));
}

}  // namespace

TEST(Backtest, PercentileOfARecordedMonthIsTheMidRankOfTheClosedForm) {
  // R = T ~ Tri(6, 10, 18) months from 2025-01. Recorded in 2025-11 (month 10):
  // the mid-rank over [10, 11) is (F(10) + F(11)) / 2. A recorded capex is a point.
  constexpr std::uint64_t n = 100000;
  const auto run = run_text(config_with_network("[templates.t.activities.build]\nduration = { dist = \"triangular\", min = 6, mode = 10, max = 18 }\n"), n);
  Outcome month{"ready", "test", "s", "", "ready_month", true, YearMonth{2025, 11}, 0, false};
  Outcome capex{"capex", "test", "", "p", "capex_usd_b", false, {}, 1.3, false};  // 100 MW x $10M + 10,000 x $30k, always
  const auto rows = backtest(run.model, run.paths, {month, capex});
  const double expected = 0.5 * (triangular_cdf(10, 6, 10, 18) + triangular_cdf(11, 6, 10, 18));
  EXPECT_NEAR(rows[0].percentile, expected, four_se(expected, n));
  EXPECT_EQ(rows[0].recorded, "2025-11");
  EXPECT_EQ(rows[0].inside_p10_p90, true);
  EXPECT_DOUBLE_EQ(rows[1].percentile, 0.5);  // every path equals it: below 0, at 1
}

