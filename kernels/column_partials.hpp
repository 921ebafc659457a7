#pragma once
// One column of per-path values -> the partials a column summary is built from
// (host/metrics/column_summary.hpp): counts of the digits of the values' order
// keys, and moments and a tail sum folded in path order. The host aggregation
// and the device reduction (batch_reduce.hpp) call these same functions, so a
// batch reduced where it was computed gives the summary the host gives.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "platform.hpp"

namespace buildout {

// Distinct prefixes a pass after the first counts under, per column: one per
// order statistic the summary needs (two per percentile level, and the CVaR's).
constexpr int kMaxPrefixes = 21;
static_assert(kMaxPrefixes < 127, "ColumnPass::first_slot holds 1 + a slot in 8 bits");
// Moments and the tail sum are folded per block of paths (path i is in block i / kSummaryBlock).
constexpr std::uint64_t kSummaryBlock = std::uint64_t{1} << 16;
constexpr int kTopBins = 4096;    // pass 0: the keys' top 12 bits
constexpr int kDigitBins = 1024;  // passes 1 and 2: 10 bits each

// a < b exactly when order_key(a) < order_key(b), for finite values; -0 reads as +0.
BO_HD std::uint32_t order_key(float v) {
  if (v == 0.0f) v = 0.0f;  // -0 and +0 are one value
  std::uint32_t bits;
  memcpy(&bits, &v, sizeof bits);
  // Negative floats order backwards in their bits: flip them all; positive ones: set the sign bit.
  return (bits & 0x80000000u) ? ~bits : bits | 0x80000000u;
}

BO_HD float key_value(std::uint32_t key) {
  const std::uint32_t bits = (key & 0x80000000u) ? key & 0x7fffffffu : ~key;
  float v;
  memcpy(&v, &bits, sizeof v);
  return v;
}

// Welford's running mean and sum of squared deviations, in path order; the same bits on the
// device as on the host (no fused multiply-add; IEEE division on both).
struct Moments {
  std::uint64_t n = 0;
  double mean = 0, m2 = 0;
  BO_HD void add(double x) {
    ++n;
    const double d = x - mean;
    mean += d / n;
    m2 = add_product(m2, d, x - mean);
  }
  // Chan et al.: these values, then next's.
  BO_HD void merge(const Moments& next) {
    if (next.n == 0) return;
    if (n == 0) {
      *this = next;
      return;
    }
    const double total = static_cast<double>(n + next.n), d = next.mean - mean;
    mean += d * (next.n / total);
    m2 += next.m2 + d * d * (static_cast<double>(n) * next.n / total);
    n += next.n;
  }
};

// What one pass counts of one column. Pass 0 counts every key's top 12 bits.
// Passes 1 and 2 count the next 10 bits of the keys under each prefix (the
// top 12, then 22 bits of an order statistic still sought). The prefixes
// ascend, so those that share their top 12 bits are consecutive slots, and
// `first_slot` gives, by a key's top 12 bits, 1 + the first of them (0: none):
// most keys are passed over at once, and the rest are matched among the few
// slots under their top 12 bits, not all of them.
struct ColumnPass {
  int pass;
  const std::int8_t* first_slot;  // [kTopBins]; passes 1, 2
  const std::uint32_t* prefixes;  // n_prefixes of them, ascending; passes 1, 2
  int n_prefixes;
};

// Calls count(bin) for the bin key falls in: in pass 0 its top 12 bits, after
// that slot * kDigitBins + digit under the slot-th prefix; nothing when the
// key lies under no prefix.
template <class Count>
BO_HD void count_key(const ColumnPass& c, std::uint32_t key, Count&& count) {
  const std::uint32_t top = key >> 20;
  if (c.pass == 0) {
    count(top);
    return;
  }
  const int first = c.first_slot[top];
  if (first == 0) return;
  if (c.pass == 1) {  // the prefixes are the top 12 bits themselves
    count((first - 1) * kDigitBins + ((key >> 10) & (kDigitBins - 1u)));
    return;
  }
  const std::uint32_t prefix = key >> 10;
  int slot = first - 1;
  while (slot < c.n_prefixes && c.prefixes[slot] < prefix) ++slot;
  if (slot < c.n_prefixes && c.prefixes[slot] == prefix) count(slot * kDigitBins + (key & (kDigitBins - 1u)));
}

// Paths [first, first + n) fall in block_runs(first, n) runs that each lie in one block;
// run r is [begin, begin + take) of them.
BO_HD std::uint64_t block_runs(std::uint64_t first, std::uint64_t n) {
  return n == 0 ? 0 : (first + n - 1) / kSummaryBlock - first / kSummaryBlock + 1;
}
BO_HD void block_run(std::uint64_t first, std::uint64_t n, std::uint64_t r, std::uint64_t& begin, std::uint64_t& take) {
  const std::uint64_t block = first / kSummaryBlock + r;
  begin = r == 0 ? 0 : block * kSummaryBlock - first;
  const std::uint64_t end = (block + 1) * kSummaryBlock - first;
  take = (end < n ? end : n) - begin;
}

// The moments of values [0, n) added in order to `m`.
BO_HD Moments fold_moments(Moments m, const float* values, std::uint64_t n) {
  for (std::uint64_t i = 0; i < n; ++i) m.add(values[i]);
  return m;
}

// `sum` plus the values [0, n), in order, whose 22-bit prefix is below tail_prefix: pass 2's
// part of the CVaR.
BO_HD double fold_tail(double sum, std::uint32_t tail_prefix, const float* values, std::uint64_t n) {
  for (std::uint64_t i = 0; i < n; ++i)
    if ((order_key(values[i]) >> 10) < tail_prefix) sum += values[i];
  return sum;
}

}  // namespace buildout
