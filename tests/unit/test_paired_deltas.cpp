// Paired deltas (host/analysis/paired_deltas.hpp), which `buildout compare` reports, against
// closed forms: a mean, a percentile and a share, with their paired and independent errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "host/analysis/paired_deltas.hpp"

using namespace buildout;

// b = a + 2 on every path: the delta is 2 with no paired error, while independent runs
// would carry sqrt(2 var(a) / n). Integers, so every float difference is exact.
TEST(PairedDeltas, ShiftedPathsHaveAnExactDeltaAndNoPairedError) {
  const std::uint64_t n = 1000;
  std::vector<float> a(n), b(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    a[i] = static_cast<float>(i % 10);
    b[i] = a[i] + 2;
  }
  const Delta mean = mean_delta(a.data(), b.data(), n);
  EXPECT_EQ(mean.delta, 2.0);
  EXPECT_EQ(mean.se_paired, 0.0);
  const double var = 8.25 * n / (n - 1);  // values 0..9 equally often: population variance 8.25
  EXPECT_NEAR(mean.se_independent, std::sqrt(2 * var / n), 1e-12);
  EXPECT_TRUE(std::isinf(mean.variance_reduction()));
  const Delta p50 = percentile_delta(a.data(), b.data(), n, 50);
  EXPECT_EQ(p50.delta, 2.0);
  EXPECT_EQ(p50.se_paired, 0.0);
  EXPECT_EQ(p50.lo, 2.0);
}

// Flags that differ on 10 of 100 paths, 5 each way: the shares are equal, the paired
// variance is that of d in {-1, 0, 1} (0.1 n/(n-1)), the independent one p(1-p) twice.
TEST(PairedDeltas, SharesFollowTheBinomialAndPairedForms) {
  const std::uint64_t n = 100;
  std::vector<std::uint8_t> a(n, 0), b(n, 0);
  for (std::uint64_t i = 0; i < 40; ++i) a[i] = b[i] = 1;
  for (std::uint64_t i = 40; i < 45; ++i) a[i] = 1;
  for (std::uint64_t i = 45; i < 50; ++i) b[i] = 1;
  const Delta d = share_delta(a.data(), b.data(), 1, n);
  EXPECT_DOUBLE_EQ(d.base, 0.45);
  EXPECT_DOUBLE_EQ(d.other, 0.45);
  EXPECT_DOUBLE_EQ(d.delta, 0.0);
  EXPECT_NEAR(d.se_paired, std::sqrt(0.1 * n / (n - 1) / n), 1e-15);
  EXPECT_NEAR(d.se_independent, std::sqrt(2 * 0.45 * 0.55 * n / (n - 1) / n), 1e-15);
  EXPECT_NEAR(d.variance_reduction(), 2 * 0.45 * 0.55 / 0.1, 1e-12);
}
