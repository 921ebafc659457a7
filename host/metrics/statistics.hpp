#pragma once
// Statistics of one column of per-path values. Percentiles are exact:
// linear interpolation between order statistics (Hyndman-Fan type 7, numpy's
// default). Sums run over the sorted values, so they do not depend on how
// the paths were split into batches.
#include <array>
#include <cstdint>
#include <vector>

namespace buildout {

constexpr std::array<double, 10> kPercentileLevels = {1, 5, 10, 25, 50, 75, 80, 90, 95, 99};

struct Summary {
  double mean = 0, sd = 0, se = 0;
  std::array<double, kPercentileLevels.size()> percentiles{};
  double cvar5 = 0;  // mean of the worst 5% (lowest values)
  double percentile(double level) const;  // one of kPercentileLevels
};

// Sorts `values` in place.
Summary summarize(std::vector<float>& values);
double percentile_of_sorted(const float* sorted, std::uint64_t n, double level);

struct Proportion {
  std::uint64_t hits = 0, n = 0;
  double p = 0, lo = 0, hi = 0;  // estimate and 95% Wilson interval
};
Proportion wilson(std::uint64_t hits, std::uint64_t n);

}  // namespace buildout
