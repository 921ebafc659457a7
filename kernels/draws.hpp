#pragma once
// One uncertain input = a marginal plus an optional loading on a common factor
// (Gaussian copula): z = rho F_k + sqrt(1 - rho^2) eps, u = Phi(z), x = Q(u).
// Normal and lognormal use z directly (Q(Phi(z)) = mu + sigma z), and a loaded
// Bernoulli compares z with Phi^-1(p), so neither needs Phi at all.
#include <cmath>
#include <cstdint>

#include <curand_kernel.h>

#include "model_view.hpp"
#include "normal_quantile.hpp"
#include "platform.hpp"

namespace buildout {

// A draw's random numbers: one Philox4_32_10 block at counter (stream, path)
// under key seed, the very block cuRAND's curand_init(seed, path, 4 * stream)
// computes first (a test holds the two equal). `stream` is a 62-bit hash of
// the draw's config key path (draw_stream() in host/model/compiled_model.hpp),
// so a draw's numbers depend only on the seed, the path and its name: adding,
// removing or fixing another draw leaves them as they are (common random
// numbers across scenarios), and any thread, batch or device draws the same.
// A normal is curand_normal's Box-Muller on the block's first two words, in
// single precision (tails to about 6.7 sigma); a uniform in (0, 1] is
// curand_uniform's scaling of its first word.
//
// Under --sampler sobol each random input reads instead its own dimension of a
// scrambled Sobol' sequence (cuRAND's Joe-Kuo direction numbers, in Gray-code
// order as cuRAND's generator, each dimension XORed with a digital shift from
// the seed), path i being point i; a normal is Phi^-1 of the point.
struct PathStreams {
  std::uint64_t seed, path;
  const std::uint32_t* sobol_directions;  // null: Philox
  const std::uint32_t* sobol_shifts;

  // Philox alone (tests, benchmarks).
  BO_HD PathStreams(std::uint64_t seed_, std::uint64_t path_index)
      : seed(seed_), path(path_index), sobol_directions(nullptr), sobol_shifts(nullptr) {}
  BO_HD PathStreams(const ModelView& m, std::uint64_t path_index)
      : seed(m.seed), path(path_index), sobol_directions(m.sampler == kSobol ? m.sobol_directions : nullptr),
        sobol_shifts(m.sobol_shifts) {}

  // Point `path` of the dimension in (0, 1): never 0 or 1, so its normal score is finite.
  BO_HD double sobol_uniform(int dimension) const {
    const std::uint32_t* v = sobol_directions + 32 * dimension;
    std::uint32_t x = sobol_shifts[dimension];
    for (std::uint64_t gray = path ^ (path >> 1); gray != 0; gray &= gray - 1) x ^= v[lowest_bit(gray)];
    return (static_cast<double>(x) + 0.5) * 0x1p-32;
  }
  BO_RNG double normal(std::uint64_t stream, int dimension) const {
    if (sobol_directions) return normal_quantile(sobol_uniform(dimension));
    return philox_normal(stream);
  }
  BO_RNG double uniform(std::uint64_t stream, int dimension) const {
    if (sobol_directions) return sobol_uniform(dimension);
    return philox_uniform(stream);
  }

  BO_RNG uint4 block(std::uint64_t stream) const {
    return curand_Philox4x32_10(make_uint4(static_cast<unsigned>(stream), static_cast<unsigned>(stream >> 32),
                                           static_cast<unsigned>(path), static_cast<unsigned>(path >> 32)),
                                make_uint2(static_cast<unsigned>(seed), static_cast<unsigned>(seed >> 32)));
  }
  BO_RNG double philox_normal(std::uint64_t stream) const {
    const uint4 b = block(stream);
    return _curand_box_muller(b.x, b.y).x;
  }
  BO_RNG double philox_uniform(std::uint64_t stream) const { return _curand_uniform(block(stream).x); }
};

// Single precision suffices: z itself is a single-precision normal.
BO_HD double standard_normal_cdf(double z) { return 0.5f * erfcf(static_cast<float>(-z * 0.70710678118654752440)); }

BO_HD double lerp_table(const double* x, int n, double u) {
  const double pos = u * (n - 1);
  const int k = static_cast<int>(clamp_to(pos, 0.0, n - 2.0));  // NaN gives 0
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

// Fixed draws use no random number; every other draw reads its own stream.
// A draw without a factor loading needs no normal score unless its marginal is
// a function of z (normal, lognormal): u = Phi(eps) is just a uniform.
BO_RNG double sample(const DrawSpec& d, const double* tables, const double* factors, const PathStreams& rng) {
  if (d.kind == DistKind::Fixed) return d.a;
  if (d.factor < 0) {
    if (d.kind == DistKind::Normal || d.kind == DistKind::Lognormal)
      return marginal_from_score(d, tables, rng.normal(d.stream, d.dimension));
    return marginal_from_uniform(d, tables, rng.uniform(d.stream, d.dimension));
  }
  const double z = d.loading * factors[d.factor] + d.idiosyncratic * rng.normal(d.stream, d.dimension);
  return marginal_from_score(d, tables, clamp_to(z, -kMaxNormalScore, kMaxNormalScore));
}

}  // namespace buildout
