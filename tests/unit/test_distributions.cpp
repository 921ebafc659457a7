// Every marginal, sampled by the kernel's own draw code on the host, against
// its analytic CDF (Boost.Math as the independent reference) and mean; and the
// Gaussian copula's rank correlation against 6/pi asin(rho/2).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>

#include "kernels/draws.hpp"
#include "test_support.hpp"

using namespace buildout;
using namespace buildout::testing;

namespace {

constexpr std::uint64_t kSamples = 200000;
constexpr std::uint64_t kSeed = 12345;

// A draw with a factor loading goes through its normal score and Phi; one
// without goes straight from a uniform. The marginal must not depend on which.
std::vector<double> sample_dist(const Dist& d, std::uint64_t n = kSamples) {
  CompiledModel m;
  append_draw(m, d, "x");
  const std::uint64_t factor_stream = draw_stream("factors.f");
  std::vector<double> x(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    const PathStreams rng{kSeed, i};
    const double factors[1] = {d.factor >= 0 ? rng.philox_normal(factor_stream) : 0.0};
    x[i] = sample(m.draws[0], m.tables.data(), factors, rng);
  }
  return x;
}

Dist loaded(Dist d) {
  d.factor = 0;
  d.loading = 0.6;
  return d;
}

void check_one(const Dist& d, const std::function<double(double)>& cdf, double mean, double sd);

// P(X <= q_p) = p at analytic quantiles, and the mean, each within 4 standard
// errors: once without a loading and once loaded on a factor.
void check_against(const Dist& d, const std::function<double(double)>& cdf, double mean, double sd) {
  check_one(d, cdf, mean, sd);
  check_one(loaded(d), cdf, mean, sd);
}

void check_one(const Dist& d, const std::function<double(double)>& cdf, double mean, double sd) {
  const auto x = sample_dist(d);
  const double n = static_cast<double>(x.size());
  std::vector<double> sorted = x;
  std::sort(sorted.begin(), sorted.end());
  for (double p : {0.05, 0.25, 0.5, 0.75, 0.95}) {
    const double xp = sorted[static_cast<size_t>(p * (n - 1))];
    const double F = cdf(xp);  // analytic CDF at the empirical p-quantile
    EXPECT_NEAR(F, p, 4.0 * std::sqrt(p * (1 - p) / n)) << dist_type_name(d.type) << " at p=" << p << (d.factor >= 0 ? " (loaded)" : "");
  }
  const double m = std::accumulate(x.begin(), x.end(), 0.0) / n;
  EXPECT_NEAR(m, mean, 4.0 * sd / std::sqrt(n)) << dist_type_name(d.type) << " mean";
}

Dist make(Dist::Type t, double a, double b = 0, double c = 0, double dd = 0) {
  Dist d;
  d.type = t;
  d.a = a; d.b = b; d.c = c; d.d = dd;
  return d;
}

double triangular_cdf(double x, double a, double m, double b) {
  if (x <= a) return 0;
  if (x >= b) return 1;
  return x <= m ? (x - a) * (x - a) / ((b - a) * (m - a)) : 1 - (b - x) * (b - x) / ((b - a) * (b - m));
}

}  // namespace

TEST(Distributions, Uniform) {
  check_against(make(Dist::Type::Uniform, 2, 5), [](double x) { return std::clamp((x - 2) / 3, 0.0, 1.0); }, 3.5, 3 / std::sqrt(12.0));
}

TEST(Distributions, Triangular) {
  const double a = 6, m = 10, b = 18;
  const double var = (a * a + m * m + b * b - a * m - a * b - m * b) / 18;
  check_against(make(Dist::Type::Triangular, a, m, b), [&](double x) { return triangular_cdf(x, a, m, b); }, (a + m + b) / 3, std::sqrt(var));
}

TEST(Distributions, PertUsesItsBetaShape) {
  const double a = 12, m = 18, b = 30, al = 1 + 4 * (m - a) / (b - a), be = 1 + 4 * (b - m) / (b - a);
  const boost::math::beta_distribution<double> beta(al, be);
  const double sd = (b - a) * std::sqrt(al * be / ((al + be) * (al + be) * (al + be + 1)));
  check_against(make(Dist::Type::Pert, a, m, b), [&](double x) { return boost::math::cdf(beta, std::clamp((x - a) / (b - a), 0.0, 1.0)); },
                (a + 4 * m + b) / 6, sd);
}

TEST(Distributions, BetaOnAnInterval) {
  const boost::math::beta_distribution<double> beta(8, 2);
  const double sd = std::sqrt(8.0 * 2 / (100.0 * 11));
  check_against(make(Dist::Type::Beta, 8, 2, 0, 1), [&](double x) { return boost::math::cdf(beta, std::clamp(x, 0.0, 1.0)); }, 0.8, sd);
}

TEST(Distributions, Normal) {
  const boost::math::normal_distribution<double> nd(0.25, 0.15);
  check_against(make(Dist::Type::Normal, 0.25, 0.15), [&](double x) { return boost::math::cdf(nd, x); }, 0.25, 0.15);
}

TEST(Distributions, LognormalFromMedianAndP90) {
  // median 1, p90 1.15 -> mu 0, sigma ln(1.15)/z90
  const double sigma = std::log(1.15) / 1.2815515655446004;
  const boost::math::lognormal_distribution<double> ln(0.0, sigma);
  check_against(make(Dist::Type::Lognormal, 0.0, sigma), [&](double x) { return boost::math::cdf(ln, x); },
                std::exp(sigma * sigma / 2), boost::math::standard_deviation(ln));
}

TEST(Distributions, BernoulliFrequency) {
  for (const Dist& d : {make(Dist::Type::Bernoulli, 0.3), loaded(make(Dist::Type::Bernoulli, 0.3))}) {
    const auto x = sample_dist(d);
    const double f = std::accumulate(x.begin(), x.end(), 0.0) / x.size();
    EXPECT_NEAR(f, 0.3, four_se(0.3, x.size())) << (d.factor >= 0 ? "loaded" : "independent");
    for (double v : x) ASSERT_TRUE(v == 0.0 || v == 1.0);
  }
}

TEST(Distributions, DiscreteFrequencies) {
  Dist d = make(Dist::Type::Discrete, 0);
  d.values = {1, 5, 9};
  d.probabilities = {0.2, 0.5, 0.3};
  for (const Dist& dd : {d, loaded(d)}) {
    const auto x = sample_dist(dd);
    for (size_t k = 0; k < 3; ++k) {
      const double f = std::count(x.begin(), x.end(), d.values[k]) / static_cast<double>(x.size());
      EXPECT_NEAR(f, d.probabilities[k], four_se(d.probabilities[k], x.size())) << "value " << d.values[k];
    }
  }
}

TEST(Distributions, EmpiricalQuantileTable) {
  Dist d = make(Dist::Type::Empirical, 0);
  d.probabilities = {0.0, 0.5, 1.0};
  d.values = {10, 12, 20};  // CDF rises 0.5 over [10, 12], then 0.5 over [12, 20]
  const auto cdf = [](double x) { return x <= 12 ? std::clamp((x - 10) / 4, 0.0, 0.5) : std::min(1.0, 0.5 + (x - 12) / 16); };
  // mean = 0.5*11 + 0.5*16 = 13.5; E[X^2] = 0.5*(100+120+144)/3 + 0.5*(144+240+400)/3
  const double ex2 = 0.5 * (100 + 120 + 144) / 3 + 0.5 * (144 + 240 + 400) / 3;
  check_against(d, cdf, 13.5, std::sqrt(ex2 - 13.5 * 13.5));
}

TEST(Distributions, FixedIsItsValue) {
  CompiledModel m;
  append_draw(m, Dist::fixed(4.0), "x");
  const double f[1] = {0};
  EXPECT_EQ(sample(m.draws[0], m.tables.data(), f, PathStreams{1, 0}), 4.0);
}

TEST(Streams, AStreamIsCurandsPhiloxSubsequenceAtOffsetFourTimesTheStream) {
  // PathStreams computes one Philox4_32_10 block directly; it must be the one
  // cuRAND's own API gives for subsequence = path, offset = 4 x stream.
  for (const std::uint64_t seed : {0ull, 20250101ull, 0xfedcba9876543210ull})
    for (const std::uint64_t path : {0ull, 1ull, 123456789ull, (1ull << 40) + 3})
      for (const char* key : {"market.elasticity", "sites.rainier.network.activities.shell_core.duration", "factors.labor"}) {
        const std::uint64_t stream = draw_stream(key);
        ASSERT_LT(stream, 1ull << 62);
        curandStatePhilox4_32_10_t state;
        curand_init(seed, path, 4 * stream, &state);
        const uint4 expected = curand4(&state);
        const PathStreams rng{seed, path};
        const uint4 got = rng.block(stream);
        EXPECT_EQ(got.x, expected.x);
        EXPECT_EQ(got.y, expected.y);
        EXPECT_EQ(got.z, expected.z);
        EXPECT_EQ(got.w, expected.w);
        curand_init(seed, path, 4 * stream, &state);
        EXPECT_EQ(rng.philox_uniform(stream), static_cast<double>(curand_uniform(&state)));
        curand_init(seed, path, 4 * stream, &state);
        EXPECT_EQ(rng.philox_normal(stream), static_cast<double>(curand_normal(&state)));
      }
}

namespace {

// Spearman rank correlation of two equally long samples.
double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  const auto ranks = [](const std::vector<double>& v) {
    std::vector<size_t> idx(v.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
    std::vector<double> r(v.size());
    for (size_t k = 0; k < idx.size(); ++k) r[idx[k]] = static_cast<double>(k);
    return r;
  };
  const auto rx = ranks(x), ry = ranks(y);
  const double n = x.size(), mean = (n - 1) / 2;
  double sxy = 0, sxx = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) * (rx[i] - mean);
  }
  return sxy / sxx;
}

// Mean and standard error of a statistic over independent batches.
std::pair<double, double> batch_mean_se(const std::vector<double>& est) {
  const double k = est.size(), m = std::accumulate(est.begin(), est.end(), 0.0) / k;
  double ss = 0;
  for (double e : est) ss += (e - m) * (e - m);
  return {m, std::sqrt(ss / (k - 1) / k)};
}

}  // namespace

TEST(Copula, SpearmanOfTwoDrawsOnOneFactor) {
  // z1 = 0.8 F + ..., z2 = 0.6 F + ...: corr(z1, z2) = 0.48, Spearman = 6/pi asin(0.24).
  CompiledModel m;
  Dist u = make(Dist::Type::Uniform, 0, 1);
  u.factor = 0;
  u.loading = 0.8;
  append_draw(m, u, "u");
  Dist t = make(Dist::Type::Triangular, 0, 2, 10);
  t.factor = 0;
  t.loading = 0.6;
  append_draw(m, t, "t");
  constexpr int kBatches = 20;
  constexpr std::uint64_t kPerBatch = 10000;
  std::vector<double> est;
  for (int b = 0; b < kBatches; ++b) {
    std::vector<double> x(kPerBatch), y(kPerBatch);
    for (std::uint64_t i = 0; i < kPerBatch; ++i) {
      const PathStreams rng{kSeed, b * kPerBatch + i};
      const double f[1] = {rng.philox_normal(draw_stream("factors.f"))};
      x[i] = sample(m.draws[0], m.tables.data(), f, rng);
      y[i] = sample(m.draws[1], m.tables.data(), f, rng);
    }
    est.push_back(spearman(x, y));
  }
  const auto [mean, se] = batch_mean_se(est);
  const double expected = 6 / M_PI * std::asin(0.48 / 2);
  EXPECT_NEAR(mean, expected, 4 * se) << "se " << se;
}

TEST(Copula, CorrelatedFactorsThroughTheEngine) {
  // Two sites, one activity each, on factors a and b with corr(a, b) = 0.5 and loadings 0.9 and 0.7:
  // corr of the normal scores = 0.9 * 0.7 * 0.5 = 0.315. Exercises the Cholesky factor in the kernel.
  const std::string extra = R"(
[factors]
names = ["a", "b"]
correlation = [[1.0, 0.5], [0.5, 1.0]]
[templates.t2.activities.build]
duration = { dist = "uniform", min = 10, max = 20, factor = "b", loading = 0.7 }
)" + test_site("s2", "t2");
  const auto run = run_text(config_with_network(R"(
[templates.t.activities.build]
duration = { dist = "triangular", min = 6, mode = 10, max = 18, factor = "a", loading = 0.9 }
)", extra), 200000);
  constexpr int kBatches = 20;
  const std::uint64_t per = run.paths.paths / kBatches;
  std::vector<double> est;
  for (int b = 0; b < kBatches; ++b) {
    std::vector<double> x(run.paths.ready(0) + b * per, run.paths.ready(0) + (b + 1) * per);
    std::vector<double> y(run.paths.ready(1) + b * per, run.paths.ready(1) + (b + 1) * per);
    est.push_back(spearman(x, y));
  }
  const auto [mean, se] = batch_mean_se(est);
  EXPECT_NEAR(mean, 6 / M_PI * std::asin(0.315 / 2), 4 * se) << "se " << se;
}
