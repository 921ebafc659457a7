// Schedule networks through the engine against closed forms.
#include <gtest/gtest.h>

#include <cmath>

#include "host/metrics/aggregate.hpp"
#include "test_support.hpp"

using namespace buildout;
using namespace buildout::testing;

namespace {

constexpr std::uint64_t kPaths = 100000;

double triangular_cdf(double x, double a, double m, double b) {
  if (x <= a) return 0;
  if (x >= b) return 1;
  return x <= m ? (x - a) * (x - a) / ((b - a) * (m - a)) : 1 - (b - x) * (b - x) / ((b - a) * (b - m));
}
double triangular_quantile(double p, double a, double m, double b) {
  const double fc = (m - a) / (b - a);
  return p < fc ? a + std::sqrt(p * (b - a) * (m - a)) : b - std::sqrt((1 - p) * (b - a) * (b - m));
}
double triangular_pdf(double x, double a, double m, double b) {
  return x < m ? 2 * (x - a) / ((b - a) * (m - a)) : 2 * (b - x) / ((b - a) * (b - m));
}

}  // namespace

TEST(Schedule, LoneTriangularActivityReadyPercentiles) {
  // Site starts 2025-03 (month 2); R = 2 + T, T ~ Tri(6, 10, 18).
  std::string cfg = config_with_network(R"(
[templates.t.activities.build]
duration = { dist = "triangular", min = 6, mode = 10, max = 18 }
)");
  cfg = replaced(cfg, "construction_start = \"2025-01\"", "construction_start = \"2025-03\"");
  const auto run = run_text(cfg, kPaths);
  const Results res = aggregate(run.model, run.paths, 2);
  const Summary& ready = res.sites[0].ready_month;
  for (double p : {10.0, 50.0, 80.0, 90.0}) {
    const double q = triangular_quantile(p / 100, 6, 10, 18);
    // Standard error of a sample quantile: sqrt(p(1-p)/n) / f(q).
    const double se = std::sqrt(p / 100 * (1 - p / 100) / kPaths) / triangular_pdf(q, 6, 10, 18);
    EXPECT_NEAR(ready.percentile(p), 2 + q, 4 * se) << "P" << p;
  }
  EXPECT_NEAR(ready.mean, 2 + (6 + 10 + 18) / 3.0, 4 * ready.se);
  // Planned ready 2026-01 = month 12: P(R <= 12) = P(T <= 10) = F(mode) = (10 - 6) / (18 - 6).
  EXPECT_NEAR(res.sites[0].ready_by_plan.p, 1.0 / 3, four_se(1.0 / 3, kPaths));
  EXPECT_DOUBLE_EQ(res.sites[0].criticality[0].index, 1.0);
}

TEST(Schedule, MaxOfTwoParallelActivitiesIsTheProductOfCdfs) {
  // R = max(A, B) with A ~ U(10, 20), B ~ Tri(8, 14, 22), both from the site start.
  const auto run = run_text(config_with_network(R"(
[templates.t.activities.a]
duration = { dist = "uniform", min = 10, max = 20 }
[templates.t.activities.b]
duration = { dist = "triangular", min = 8, mode = 14, max = 22 }
[templates.t.activities.done]
duration = 0
predecessors = ["a", "b"]
)"), kPaths);
  const float* r = run.paths.ready(0);
  for (double x : {12.0, 14.0, 16.0, 18.0, 20.0}) {
    const double expected = std::clamp((x - 10) / 10, 0.0, 1.0) * triangular_cdf(x, 8, 14, 22);
    EXPECT_NEAR(empirical_cdf(r, kPaths, x), expected, four_se(expected, kPaths)) << "x=" << x;
  }
  // Criticality of A = P(A > B) = integral of F_B(x) f_A(x) dx, by Simpson's rule.
  constexpr int kSteps = 2000;
  double integral = 0;
  for (int k = 0; k <= kSteps; ++k) {
    const double x = 10 + 10.0 * k / kSteps;
    const double w = (k == 0 || k == kSteps) ? 1 : (k % 2 ? 4 : 2);
    integral += w * triangular_cdf(x, 8, 14, 22) * 0.1;
  }
  integral *= 10.0 / kSteps / 3;
  const Results res = aggregate(run.model, run.paths, 2);
  const auto& crit = res.sites[0].criticality;
  const auto index_of = [&](const char* id) {
    for (const auto& c : crit)
      if (c.id == id) return c.index;
    return -1.0;
  };
  EXPECT_NEAR(index_of("a"), integral, four_se(integral, kPaths));
  EXPECT_NEAR(index_of("b"), 1 - integral, four_se(integral, kPaths));
  EXPECT_DOUBLE_EQ(index_of("done"), 1.0);
}

TEST(Schedule, BernoulliRiskEventFrequency) {
  // A fixed 10-month activity; an event with p = 0.3 adds 5 months. It loads on a factor,
  // which must not change its marginal frequency.
  const auto run = run_text(config_with_network(R"(
[templates.t.activities.build]
duration = 10
[templates.t.risks.strike]
probability = 0.3
factor = "f"
loading = 0.7
hits = ["build"]
delay_months = 5
cost_usd_m = 20
)", "[factors]\nnames = [\"f\"]\n"), kPaths);
  const float* r = run.paths.ready(0);
  std::uint64_t late = 0;
  for (std::uint64_t i = 0; i < kPaths; ++i) {
    ASSERT_TRUE(r[i] == 10.0f || r[i] == 15.0f) << r[i];
    late += r[i] == 15.0f;
  }
  EXPECT_NEAR(static_cast<double>(late) / kPaths, 0.3, four_se(0.3, kPaths));
}

TEST(Schedule, DriversMultiplyAndLagsDelay) {
  // a: 4; b starts 2 months after a finishes and takes 3 x 1.5 -> R = 4 + 2 + 4.5.
  const auto run = run_text(config_with_network(R"(
[templates.t.drivers]
crew = 1.5
[templates.t.activities.a]
duration = 4
[templates.t.activities.b]
duration = 3
drivers = ["crew"]
predecessors = [{ id = "a", lag = 2 }]
)"), 10);
  for (int i = 0; i < 10; ++i) EXPECT_FLOAT_EQ(run.paths.ready(0)[i], 10.5f);
}
