// Quasi-Monte Carlo (--sampler sobol): the normal quantile against Boost, the
// Sobol' points against cuRAND's own generator, their stratification, and the
// convergence of the error on a smooth integrand with a known value, against
// Monte Carlo on the same engine code. A sobol run's bytes for any threads and
// batch are in integration/test_commands.cpp.
#include <gtest/gtest.h>

#include <curand.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <vector>

#include "host/model/sobol_sampler.hpp"
#include "kernels/draws.hpp"
#include "kernels/normal_quantile.hpp"
#include "test_support.hpp"

using namespace buildout;
using namespace buildout::testing;

namespace {

// A model of `dims` independent standard normal draws and nothing else.
CompiledModel normals(int dims, std::uint64_t seed, bool sobol) {
  CompiledModel m;
  m.seed = seed;
  Dist z;
  z.type = Dist::Type::Normal;
  z.a = 0, z.b = 1;
  for (int d = 0; d < dims; ++d) append_draw(m, z, "z" + std::to_string(d));
  assign_input_dimensions(m);
  if (sobol) use_sobol_sampler(m);
  return m;
}

// E[exp(sum w_d z_d)] = e^(1/2) with w_d proportional to 1/(d + 1) and sum w_d^2 = 1 (a smooth
// integrand whose inputs matter less and less, as the model's do in dimension order): the RMS
// error of its estimate from paths 0..n-1 over `scrambles` seeds.
double rmse(int dims, std::uint64_t n, bool sobol, int scrambles) {
  std::vector<double> w(dims);
  double norm = 0;
  for (int d = 0; d < dims; ++d) norm += 1.0 / ((d + 1.0) * (d + 1.0));
  for (int d = 0; d < dims; ++d) w[d] = 1.0 / ((d + 1.0) * std::sqrt(norm));
  double sum_sq = 0;
  for (int r = 0; r < scrambles; ++r) {
    const CompiledModel m = normals(dims, 1000 + r, sobol);
    const ModelView v = m.view();
    double mean = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
      const PathStreams rng(v, i);
      double s = 0;
      for (int d = 0; d < dims; ++d) s += w[d] * sample(m.draws[d], v.tables, nullptr, rng);
      mean += std::exp(s);
    }
    const double err = mean / n - std::exp(0.5);
    sum_sq += err * err;
  }
  return std::sqrt(sum_sq / scrambles);
}

// Least-squares slope of log rmse against log n.
double slope(const std::vector<double>& n, const std::vector<double>& e) {
  double mx = 0, my = 0;
  for (std::size_t k = 0; k < n.size(); ++k) mx += std::log(n[k]) / n.size(), my += std::log(e[k]) / n.size();
  double sxy = 0, sxx = 0;
  for (std::size_t k = 0; k < n.size(); ++k) {
    sxy += (std::log(n[k]) - mx) * (std::log(e[k]) - my);
    sxx += (std::log(n[k]) - mx) * (std::log(n[k]) - mx);
  }
  return sxy / sxx;
}

}  // namespace

TEST(NormalQuantile, MatchesBoostToTheLastDigits) {
  double worst = 0;
  for (int k = 1; k < 200000; ++k) {
    const double p = k % 2 ? k / 200000.0 : std::pow(10.0, -300.0 * k / 200000.0);
    const double expected = boost::math::quantile(boost::math::normal(), p);
    worst = std::max(worst, std::fabs(normal_quantile(p) - expected) / std::max(1.0, std::fabs(expected)));
  }
  EXPECT_LT(worst, 1e-14);
  EXPECT_EQ(normal_quantile(0.5), 0.0);
}

// With no shift, point i of dimension d is cuRAND's own Sobol32 generator's i-th output there.
TEST(SobolSampler, PointsAreCurandsSobolSequence) {
  CompiledModel m = normals(5, 1, true);
  std::fill(m.sobol_shifts.begin(), m.sobol_shifts.end(), 0u);
  const ModelView v = m.view();
  const std::uint64_t n = 1000;
  curandGenerator_t gen;
  ASSERT_EQ(curandCreateGeneratorHost(&gen, CURAND_RNG_QUASI_SOBOL32), CURAND_STATUS_SUCCESS);
  ASSERT_EQ(curandSetQuasiRandomGeneratorDimensions(gen, 5), CURAND_STATUS_SUCCESS);
  std::vector<unsigned> raw(5 * n);
  ASSERT_EQ(curandGenerate(gen, raw.data(), raw.size()), CURAND_STATUS_SUCCESS);
  curandDestroyGenerator(gen);
  for (int d = 0; d < 5; ++d)
    for (std::uint64_t i = 0; i < n; ++i)
      ASSERT_EQ(PathStreams(v, i).sobol_uniform(d), (raw[d * n + i] + 0.5) * 0x1p-32) << "dimension " << d << ", point " << i;
}

// Scrambled or not, the first 2^m points put exactly one point in each of 2^m equal intervals of
// every dimension (a digital shift keeps the net's strata).
TEST(SobolSampler, FirstPowerOfTwoPointsStratifyEachDimension) {
  const CompiledModel m = normals(40, 99, true);
  const ModelView v = m.view();
  const int n = 1024;
  for (int d = 0; d < 40; ++d) {
    std::vector<int> hits(n, 0);
    for (int i = 0; i < n; ++i) ++hits[static_cast<int>(PathStreams(v, i).sobol_uniform(d) * n)];
    for (int k = 0; k < n; ++k) ASSERT_EQ(hits[k], 1) << "dimension " << d << ", stratum " << k;
  }
}

// On that integrand in 8 dimensions, over 16 scrambles (seeds) at n = 2^8 ... 2^16: Monte Carlo's
// RMSE falls as n^-1/2, the Sobol' sampler's faster. With 16 scrambles each RMSE is known to about
// 1/sqrt(32) = 18%, so a slope fitted over n's 256-fold range to about 0.045: Monte Carlo's is held
// within 4 of those of -1/2, and QMC's must be steeper than it by 4 standard errors of the
// difference (0.064 each): no faster convergence is rejected at 4 SE. QMC's own rate on smooth
// integrands is about -1 up to log factors.
TEST(SobolSampler, ErrorFallsFasterThanMonteCarlo) {
  std::vector<double> n, mc, qmc;
  for (int lg = 8; lg <= 16; lg += 2) {
    n.push_back(std::ldexp(1.0, lg));
    mc.push_back(rmse(8, std::uint64_t{1} << lg, false, 16));
    qmc.push_back(rmse(8, std::uint64_t{1} << lg, true, 16));
  }
  const double mc_slope = slope(n, mc), qmc_slope = slope(n, qmc);
  EXPECT_NEAR(mc_slope, -0.5, 0.18);
  EXPECT_LT(qmc_slope, mc_slope - 4 * std::sqrt(2.0) * 0.045);
  EXPECT_LT(qmc.back(), mc.back() / 4) << "MC " << mc.back() << ", QMC " << qmc.back();
  std::printf("RMSE at 2^8..2^16: MC");
  for (double e : mc) std::printf(" %.2e", e);
  std::printf(" (slope %.2f); QMC", mc_slope);
  for (double e : qmc) std::printf(" %.2e", e);
  std::printf(" (slope %.2f)\n", qmc_slope);
}

