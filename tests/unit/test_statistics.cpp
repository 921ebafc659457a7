#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "host/metrics/statistics.hpp"

using namespace buildout;

TEST(Statistics, PercentilesInterpolateLinearlyBetweenOrderStatistics) {
  std::vector<float> v = {4, 1, 3, 2};  // numpy.percentile([1,2,3,4], q): 25 -> 1.75, 50 -> 2.5, 90 -> 3.7
  const Summary s = summarize(v);
  EXPECT_DOUBLE_EQ(s.percentile(25), 1.75);
  EXPECT_DOUBLE_EQ(s.percentile(50), 2.5);
  EXPECT_NEAR(s.percentile(90), 3.7, 1e-12);
  EXPECT_DOUBLE_EQ(s.mean, 2.5);
  EXPECT_NEAR(s.sd, std::sqrt(5.0 / 3.0), 1e-12);
  EXPECT_NEAR(s.se, std::sqrt(5.0 / 3.0) / 2.0, 1e-12);
}

TEST(Statistics, CvarIsTheMeanOfTheWorstFivePercent) {
  std::vector<float> v(100);
  std::iota(v.begin(), v.end(), 1.0f);
  EXPECT_DOUBLE_EQ(summarize(v).cvar5, 3.0);  // mean of 1..5
}

TEST(Statistics, WilsonIntervalMatchesTheClosedForm) {
  const Proportion p = wilson(5, 10);  // standard reference value: [0.2366, 0.7634]
  EXPECT_DOUBLE_EQ(p.p, 0.5);
  EXPECT_NEAR(p.lo, 0.236593, 1e-6);
  EXPECT_NEAR(p.hi, 0.763407, 1e-6);
  const Proportion zero = wilson(0, 100);
  EXPECT_EQ(zero.lo, 0.0);
  const double z2 = 1.959963984540054 * 1.959963984540054;
  EXPECT_NEAR(zero.hi, z2 / (100 + z2), 1e-12);  // Wilson upper bound at 0 hits
}
