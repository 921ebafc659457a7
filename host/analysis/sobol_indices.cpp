#include "sobol_indices.hpp"

#include <algorithm>
#include <cmath>

#include "host/config/splitmix64.hpp"

namespace buildout {
namespace {

// Sums over a set of rows (with multiplicity) from which every group's indices follow.
struct RowSums {
  double sum = 0, sum_sq = 0;  // of f(A) and f(B) together, about a shift
  std::vector<double> first, total;  // per group: sums of (f(B) - f(AB_i))^2 and (f(A) - f(AB_i))^2
};

void add_row(const SobolSample& s, std::uint64_t j, double shift, double weight, RowSums& r) {
  const double a = s.a[j] - shift, b = s.b[j] - shift;
  r.sum += weight * (a + b);
  r.sum_sq += weight * (a * a + b * b);
  for (std::size_t i = 0; i < s.ab.size(); ++i) {
    const double ab = s.ab[i][j] - shift;
    r.first[i] += weight * (b - ab) * (b - ab);
    r.total[i] += weight * (a - ab) * (a - ab);
  }
}

// Indices from the sums over n rows: (first, total) per group.
void indices_of(const RowSums& r, double n, std::vector<double>& first, std::vector<double>& total) {
  const double mean = r.sum / (2 * n);
  const double v = r.sum_sq / (2 * n) - mean * mean;
  for (std::size_t i = 0; i < r.first.size(); ++i) {
    first[i] = v > 0 ? (v - r.first[i] / (2 * n)) / v : 0.0;
    total[i] = v > 0 ? r.total[i] / (2 * n) / v : 0.0;
  }
}

// The (q)-quantile of `x` (sorted in place), by linear interpolation.
double quantile_of(std::vector<double>& x, double q) {
  std::sort(x.begin(), x.end());
  const double pos = q * (x.size() - 1);
  const std::size_t k = static_cast<std::size_t>(pos);
  return k + 1 < x.size() ? x[k] + (x[k + 1] - x[k]) * (pos - k) : x[k];
}

}  // namespace

std::vector<SobolIndex> sobol_indices(const SobolSample& s, int resamples, std::uint64_t seed) {
  const std::size_t groups = s.ab.size();
  std::vector<SobolIndex> out(groups);
  if (s.n < 2) return out;
  // Sums about the first value: the variance of values far from 0 keeps its digits.
  const double shift = s.a[0];
  const auto sums_over = [&](const std::vector<double>* weights) {
    RowSums r;
    r.first.assign(groups, 0.0);
    r.total.assign(groups, 0.0);
    for (std::uint64_t j = 0; j < s.n; ++j) {
      const double w = weights ? (*weights)[j] : 1.0;
      if (w != 0) add_row(s, j, shift, w, r);
    }
    return r;
  };
  std::vector<double> first(groups), total(groups);
  indices_of(sums_over(nullptr), static_cast<double>(s.n), first, total);
  for (std::size_t i = 0; i < groups; ++i) {
    out[i].first = first[i];
    out[i].total = total[i];
  }
  if (resamples <= 0) return out;
  // Bootstrap: each resample draws n rows with replacement, as a count per row.
  std::vector<std::vector<double>> boot_first(groups), boot_total(groups);
  std::vector<double> counts(s.n);
  std::uint64_t state = seed;
  for (int b = 0; b < resamples; ++b) {
    std::fill(counts.begin(), counts.end(), 0.0);
    for (std::uint64_t j = 0; j < s.n; ++j) counts[splitmix64_next(state) % s.n] += 1.0;
    indices_of(sums_over(&counts), static_cast<double>(s.n), first, total);
    for (std::size_t i = 0; i < groups; ++i) {
      boot_first[i].push_back(first[i]);
      boot_total[i].push_back(total[i]);
    }
  }
  for (std::size_t i = 0; i < groups; ++i) {
    out[i].first_lo = quantile_of(boot_first[i], 0.025);
    out[i].first_hi = quantile_of(boot_first[i], 0.975);
    out[i].total_lo = quantile_of(boot_total[i], 0.025);
    out[i].total_hi = quantile_of(boot_total[i], 0.975);
  }
  return out;
}

}  // namespace buildout
