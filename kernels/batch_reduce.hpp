#pragma once
// One batch of per-path outputs (PathOutputsView) reduced where it was
// computed, so that only partials cross to the host: per player column the
// counts of its pass and, per block run, its moments (pass 0) or tail sum
// (pass 2), each run folded in path order as column_partials.hpp folds it on
// the host; in pass 0 also the players' flag counts, the units' critical
// activity counts and each column's first non-finite path. Counts are
// integers, so the threads' order does not matter; what depends on the order
// of additions is one thread's, in path order. The site ready months are not
// reduced here (a site row combines units on the host); they are few.
//
// Tasks, pass 0: (column, run) for each player column, then (player, run),
// then (unit, run); passes 1 and 2: the column tasks only.
#include <cmath>
#include <cstdint>

#include "column_partials.hpp"
#include "limits.hpp"
#include "platform.hpp"

namespace buildout {

constexpr int kMaxFlagBits = 8;          // a player's flags are one byte

struct BatchReduceView {
  int pass;
  std::uint64_t first, n, stride;  // paths [first, first + n), column c at c * stride
  std::uint64_t runs;              // block_runs(first, n)
  int n_columns, n_players, n_units;
  int count_stride;  // counts per column: kTopBins in pass 0, prefixes x kDigitBins after
  // The batch.
  const float* metrics;
  const std::uint8_t* flags;
  const std::uint64_t* critical;
  // The pass, per column: first_slot [c * kTopBins], prefixes [c * kMaxPrefixes], how many,
  // the tail's prefix (pass 2), and the running moments and tail sum of the batch's first block.
  const std::int8_t* first_slot;
  const std::uint32_t* prefixes;
  const int* n_prefixes;
  const std::uint32_t* tail_prefix;
  const Moments* moments_before;
  const double* tail_before;
  // What it gives; counters start at 0, first_nonfinite at n.
  unsigned int* counts;                // [c * count_stride + bin]
  Moments* run_moments;                // [c * runs + r], pass 0
  double* run_tails;                   // [c * runs + r], pass 2
  unsigned long long* hits;            // [player * kMaxFlagBits + bit], pass 0
  unsigned long long* critical_counts; // [unit * kMaxActivities + activity], pass 0
  unsigned long long* first_nonfinite; // [c]: batch index, pass 0

  BO_HD std::uint64_t tasks() const { return runs * (pass == 0 ? n_columns + n_players + n_units : n_columns); }

  BO_HD void operator()(std::uint64_t task) const {
    const std::uint64_t r = task % runs;
    std::uint64_t k = task / runs, begin, take;
    block_run(first, n, r, begin, take);
    if (k < static_cast<std::uint64_t>(n_columns)) {
      reduce_column(static_cast<int>(k), r, begin, take);
      return;
    }
    k -= n_columns;
    if (k < static_cast<std::uint64_t>(n_players)) {
      const std::uint8_t* f = flags + k * stride + begin;
      unsigned long long hit[kMaxFlagBits] = {};
      for (std::uint64_t i = 0; i < take; ++i)
        for (int b = 0; b < kMaxFlagBits; ++b) hit[b] += (f[i] >> b) & 1u;
      for (int b = 0; b < kMaxFlagBits; ++b)
        if (hit[b]) atomic_add(hits + k * kMaxFlagBits + b, hit[b]);
      return;
    }
    k -= n_players;
    const std::uint64_t* masks = critical + k * stride + begin;
    unsigned int on[kMaxActivities] = {};
    for (std::uint64_t i = 0; i < take; ++i)
      for (std::uint64_t bits = masks[i]; bits != 0; bits &= bits - 1) ++on[lowest_bit(bits)];
    for (int a = 0; a < kMaxActivities; ++a)
      if (on[a]) atomic_add(critical_counts + k * kMaxActivities + a, static_cast<unsigned long long>(on[a]));
  }

  BO_HD void reduce_column(int c, std::uint64_t r, std::uint64_t begin, std::uint64_t take) const {
    const float* v = metrics + c * stride + begin;
    const ColumnPass counted{pass, first_slot + c * kTopBins, prefixes + c * kMaxPrefixes, n_prefixes[c]};
    unsigned int* bins = counts + static_cast<std::uint64_t>(c) * count_stride;
    for (std::uint64_t i = 0; i < take; ++i) count_key(counted, order_key(v[i]), [&](std::uint32_t bin) { atomic_add(bins + bin, 1u); });
    if (pass == 0) {
      for (std::uint64_t i = 0; i < take; ++i)
        if (!(fabs(static_cast<double>(v[i])) < INFINITY)) {
          atomic_min(first_nonfinite + c, begin + i);
          break;
        }
      run_moments[c * runs + r] = fold_moments(r == 0 ? moments_before[c] : Moments{}, v, take);
    } else if (pass == 2) {
      run_tails[c * runs + r] = fold_tail(r == 0 ? tail_before[c] : 0.0, tail_prefix[c], v, take);
    }
  }
};

}  // namespace buildout
