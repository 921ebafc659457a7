#pragma once
// Sobol sensitivity indices of one output from Saltelli's sampling scheme:
// f(A) and f(B) on two independent samples of every input, and f(AB_i) on A
// with group i's inputs taken from B. Jansen's estimators (Saltelli et al.
// 2010, "Variance based sensitivity analysis of model output", Table 2):
//   first order  S_i  = (V - mean((f(B) - f(AB_i))^2) / 2) / V
//   total        ST_i = mean((f(A) - f(AB_i))^2) / 2 / V
// with V the variance of f(A) and f(B) pooled. The 95% intervals are bootstrap
// percentile intervals over the sample rows, the same resamples for every group.
#include <cstdint>
#include <vector>

namespace buildout {

struct SobolIndex {
  double first = 0, first_lo = 0, first_hi = 0;
  double total = 0, total_lo = 0, total_hi = 0;
};

struct SobolSample {
  const double* a;                 // f(A), n values
  const double* b;                 // f(B)
  std::vector<const double*> ab;   // f(AB_i) per group
  std::uint64_t n;
};

// One index per group. A constant output (V = 0) has all indices 0.
std::vector<SobolIndex> sobol_indices(const SobolSample& s, int resamples, std::uint64_t seed);

constexpr int kSobolResamples = 200;

}  // namespace buildout
