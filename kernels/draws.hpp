#pragma once
// One uncertain input = a marginal plus an optional loading on a common factor
// (Gaussian copula): z = rho F_k + sqrt(1 - rho^2) eps, u = Phi(z), x = Q(u).
// Normal and lognormal use z directly (Q(Phi(z)) = mu + sigma z), and a loaded
// Bernoulli compares z with Phi^-1(p), so neither needs Phi at all.
#include <cmath>
#include <cstdint>

#include <curand_kernel.h>

#include "model_view.hpp"
#include "platform.hpp"

namespace buildout {

// A path's random numbers: Philox4_32_10 subsequence `path` of `seed`, so a
// path's numbers never depend on which thread, batch or device computes it.
// Each Philox call yields four numbers: single-precision normals
// (curand_normal4: Box-Muller on 32-bit uniforms, tails to about 6.6 sigma)
// or uniforms in (0, 1] (curand_uniform4), kept in separate buffers. Draws
// take them in the compiled model's fixed order, so the sequence is fixed too.
struct RandomStream {
  curandStatePhilox4_32_10_t state;
  float4 normals{}, uniforms{};  // the next numbers come out of .x; used ones are shifted out
  int normals_left = 0, uniforms_left = 0;
  BO_RNG RandomStream(std::uint64_t seed, std::uint64_t path) { curand_init(seed, path, 0ull, &state); }
  BO_RNG double normal() {
    if (normals_left == 0) {
      normals = curand_normal4(&state);
      normals_left = 4;
    }
    return take(normals, normals_left);
  }
  BO_RNG double uniform() {
    if (uniforms_left == 0) {
      uniforms = curand_uniform4(&state);
      uniforms_left = 4;
    }
    return take(uniforms, uniforms_left);
  }
  // A shift rather than an index: no branch on the position, and on the GPU
  // the four stay in registers.
  BO_HD static double take(float4& v, int& left) {
    const float x = v.x;
    v.x = v.y;
    v.y = v.z;
    v.z = v.w;
    --left;
    return x;
  }
};

// Single precision suffices: z itself is a single-precision normal.
BO_HD double standard_normal_cdf(double z) { return 0.5f * erfcf(static_cast<float>(-z * 0.70710678118654752440)); }

BO_HD double lerp_table(const double* x, int n, double u) {
  const double pos = u * (n - 1);
  const double lo = pos > 0.0 ? pos : 0.0;  // NaN gives 0
  const int k = static_cast<int>(lo < n - 2 ? lo : n - 2);
  return x[k] + (x[k + 1] - x[k]) * (pos - k);
}

// Quantile of a marginal that is a function of u = Phi(z).
BO_HD double marginal_from_uniform(const DrawSpec& d, const double* tables, double u) {
  switch (d.kind) {
    case DistKind::Uniform: return d.a + (d.b - d.a) * u;
    case DistKind::Triangular: {
      // Q(u) = min + span sqrt(u F) below the mode, max - span sqrt((1 - u)(1 - F))
      // above, F = F(mode). Selects rather than branches: which side a draw
      // falls on is a coin toss the branch predictor cannot learn.
      const double lo = d.a, hi = d.b, f = d.c;
      const bool below = u < f;
      const double r = (hi - lo) * sqrt(below ? u * f : (1.0 - u) * (1.0 - f));
      return below ? lo + r : hi - r;
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
    case DistKind::Bernoulli: return u <= d.b ? 1.0 : 0.0;  // b = p
    default: return d.a;
  }
}

// Quantile of the marginal at the copula's normal score z.
BO_HD double marginal_from_score(const DrawSpec& d, const double* tables, double z) {
  switch (d.kind) {
    case DistKind::Fixed: return d.a;
    case DistKind::Normal: return d.a + d.b * z;
    case DistKind::Lognormal: return exp(d.a + d.b * z);
    case DistKind::Bernoulli: return z < d.a ? 1.0 : 0.0;
    default: return marginal_from_uniform(d, tables, standard_normal_cdf(z));
  }
}

// Fixed draws consume no random number; every other draw consumes exactly one.
// A draw without a factor loading needs no normal score unless its marginal is
// a function of z (normal, lognormal): u = Phi(eps) is just a uniform.
BO_RNG double sample(const DrawSpec& d, const double* tables, const double* factors, RandomStream& rng) {
  if (d.kind == DistKind::Fixed) return d.a;
  if (d.factor < 0) {
    if (d.kind == DistKind::Normal || d.kind == DistKind::Lognormal) return marginal_from_score(d, tables, rng.normal());
    return marginal_from_uniform(d, tables, rng.uniform());
  }
  const double z = d.loading * factors[d.factor] + d.idiosyncratic * rng.normal();
  const double above = z > -kMaxNormalScore ? z : -kMaxNormalScore;
  return marginal_from_score(d, tables, above < kMaxNormalScore ? above : kMaxNormalScore);
}

}  // namespace buildout
