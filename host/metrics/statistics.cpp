#include "statistics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace buildout {

double Summary::percentile(double level) const {
  for (size_t k = 0; k < kPercentileLevels.size(); ++k)
    if (kPercentileLevels[k] == level) return percentiles[k];
  throw std::logic_error("percentile level not computed");
}

double percentile_of_sorted(const float* sorted, std::uint64_t n, double level) {
  if (n == 0) return NAN;
  const double h = (n - 1) * level / 100.0;
  const auto lo = static_cast<std::uint64_t>(std::floor(h));
  const std::uint64_t hi = std::min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (static_cast<double>(sorted[hi]) - sorted[lo]);
}

Summary summarize(std::vector<float>& values) {
  Summary s;
  const std::uint64_t n = values.size();
  if (n == 0) return s;
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (float v : values) sum += v;
  s.mean = sum / n;
  double ss = 0;
  for (float v : values) ss += (v - s.mean) * (v - s.mean);
  s.sd = n > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
  s.se = s.sd / std::sqrt(static_cast<double>(n));
  for (size_t k = 0; k < kPercentileLevels.size(); ++k) s.percentiles[k] = percentile_of_sorted(values.data(), n, kPercentileLevels[k]);
  const std::uint64_t tail = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(0.05 * n)));
  double tail_sum = 0;
  for (std::uint64_t i = 0; i < tail; ++i) tail_sum += values[i];
  s.cvar5 = tail_sum / tail;
  return s;
}

Proportion wilson(std::uint64_t hits, std::uint64_t n) {
  Proportion r;
  r.hits = hits;
  r.n = n;
  if (n == 0) return r;
  constexpr double z = 1.959963984540054;
  const double p = static_cast<double>(hits) / n, z2n = z * z / n;
  const double centre = (p + z2n / 2) / (1 + z2n);
  const double half = z / (1 + z2n) * std::sqrt(p * (1 - p) / n + z2n / (4.0 * n));
  r.p = p;
  // At 0 or n hits the bound is exactly 0 or 1; the formula leaves rounding dust.
  r.lo = hits == 0 ? 0.0 : std::max(0.0, centre - half);
  r.hi = hits == n ? 1.0 : std::min(1.0, centre + half);
  return r;
}

}  // namespace buildout
