#pragma once
// One uncertain input = a marginal plus an optional loading on a common factor
// (Gaussian copula): z = rho F_k + sqrt(1 - rho^2) eps, u = Phi(z), x = Q(u).
// Normal and lognormal use z directly (Q(Phi(z)) = mu + sigma z), and a
// Bernoulli compares z with Phi^-1(p), so neither needs Phi at all.
#include <cmath>
#include <cstdint>

#include <curand_kernel.h>

#include "model_view.hpp"
#include "platform.hpp"

namespace buildout {

// A path's random numbers: Philox4_32_10 subsequence `path` of `seed`, so a
// path's numbers never depend on which thread, batch or device computes it.
// Normals come four per Philox call (curand_normal4: single-precision
// Box-Muller on 32-bit uniforms, tails to about 6.6 sigma), which is ample
// for quantile mapping and a quarter of the cost of double-precision pairs.
struct NormalStream {
  curandStatePhilox4_32_10_t state;
  float4 buffer;
  int used = 4;
  BO_RNG NormalStream(std::uint64_t seed, std::uint64_t path) { curand_init(seed, path, 0ull, &state); }
  BO_RNG double next() {
    if (used == 4) {
      buffer = curand_normal4(&state);
      used = 0;
    }
    switch (used++) {
      case 0: return buffer.x;
      case 1: return buffer.y;
      case 2: return buffer.z;
      default: return buffer.w;
    }
  }
};

// Single precision suffices: z itself is a single-precision normal.
BO_HD double standard_normal_cdf(double z) { return 0.5f * erfcf(static_cast<float>(-z * 0.70710678118654752440)); }

BO_HD double lerp_table(const double* x, int n, double u) {
  const double pos = u * (n - 1);
  int k = static_cast<int>(pos);
  if (k > n - 2) k = n - 2;
  if (k < 0) k = 0;
  return x[k] + (x[k + 1] - x[k]) * (pos - k);
}

// Quantile of the marginal at the copula's normal score z.
BO_HD double marginal_from_score(const DrawSpec& d, const double* tables, double z) {
  switch (d.kind) {
    case DistKind::Fixed: return d.a;
    case DistKind::Normal: return d.a + d.b * z;
    case DistKind::Lognormal: return exp(d.a + d.b * z);
    case DistKind::Bernoulli: return z < d.a ? 1.0 : 0.0;
    default: break;
  }
  const double u = standard_normal_cdf(z);
  switch (d.kind) {
    case DistKind::Uniform: return d.a + (d.b - d.a) * u;
    case DistKind::Triangular: {
      const double lo = d.a, mode = d.b, hi = d.c, span = hi - lo;
      if (span <= 0.0) return lo;
      return u * span < mode - lo ? lo + sqrt(u * span * (mode - lo))
                                  : hi - sqrt((1.0 - u) * span * (hi - mode));
    }
    case DistKind::GridTable: return lerp_table(tables + d.table_offset, d.table_size, u);
    case DistKind::PairTable: {
      const double* p = tables + d.table_offset;
      const double* x = p + d.table_size;
      int k = 0;
      while (k < d.table_size - 2 && u >= p[k + 1]) ++k;
      const double w = p[k + 1] > p[k] ? (u - p[k]) / (p[k + 1] - p[k]) : 0.0;
      return x[k] + (x[k + 1] - x[k]) * (w < 0.0 ? 0.0 : (w > 1.0 ? 1.0 : w));
    }
    case DistKind::Discrete: {
      const double* cum = tables + d.table_offset;
      const double* x = cum + d.table_size;
      int k = 0;
      while (k < d.table_size - 1 && u >= cum[k]) ++k;
      return x[k];
    }
    default: return d.a;
  }
}

// Fixed draws consume no random number; every other draw consumes exactly one.
BO_RNG double sample(const DrawSpec& d, const double* tables, const double* factors, NormalStream& rng) {
  if (d.kind == DistKind::Fixed) return d.a;
  const double eps = rng.next();
  const double z = d.factor >= 0 ? d.loading * factors[d.factor] + d.idiosyncratic * eps : eps;
  return marginal_from_score(d, tables, z);
}

}  // namespace buildout
