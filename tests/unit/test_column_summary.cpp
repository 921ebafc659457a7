// Streaming summaries against the sort-based exact ones, and against themselves
// however the passes are split and ordered.
#include <algorithm>
#include <cstring>
#include <random>

#include <gtest/gtest.h>

#include "host/metrics/column_summary.hpp"

namespace buildout {
namespace {

// Feeds `values` to a summary in batches of `batch`, each pass's batches in path order or reversed.
Summary streamed(const std::vector<float>& values, std::uint64_t batch, bool reverse = false) {
  ColumnSummary c(values.size());
  std::vector<std::uint64_t> starts;
  for (std::uint64_t first = 0; first < values.size(); first += batch) starts.push_back(first);
  if (reverse) std::reverse(starts.begin(), starts.end());
  for (int pass = 0; pass < kSummaryPasses; ++pass) {
    for (std::uint64_t first : starts) c.add(pass, first, values.data() + first, std::min<std::uint64_t>(batch, values.size() - first));
    c.finish_pass(pass);
  }
  return c.summary();
}

void expect_same_bits(const Summary& a, const Summary& b) {
  EXPECT_EQ(std::memcmp(&a, &b, sizeof a), 0) << a.mean << " " << b.mean << " " << a.percentiles[4] << " " << b.percentiles[4];
}

std::vector<float> sample(std::uint64_t n, std::uint32_t seed, int kind) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<float> heavy(0.0f, 1.5f);
  std::normal_distribution<float> normal(-3.0f, 50.0f);
  std::vector<float> v(n);
  for (auto& x : v) {
    if (kind == 0) x = normal(rng);
    else if (kind == 1) x = heavy(rng) - 2.0f;
    else x = rng() % 3 == 0 ? 0.0f : static_cast<float>(rng() % 7);  // atoms, as revenue over a ceiling that rarely binds
  }
  return v;
}

TEST(ColumnSummary, OrderKeysSortAsTheValuesDo) {
  const float xs[] = {-1e30f, -2.5f, -1e-40f, -0.0f, 0.0f, 1e-40f, 1.0f, 3.4e38f};
  for (size_t i = 0; i + 1 < std::size(xs); ++i) {
    EXPECT_LE(order_key(xs[i]), order_key(xs[i + 1])) << xs[i];
    EXPECT_EQ(key_value(order_key(xs[i])), xs[i] == 0 ? 0.0f : xs[i]);
  }
  EXPECT_EQ(order_key(-0.0f), order_key(0.0f));
}

TEST(ColumnSummary, PercentilesAreTheExactOrderStatistics) {
  for (int kind = 0; kind < 3; ++kind)
    for (std::uint64_t n : {1ull, 2ull, 3ull, 20ull, 1001ull, 150000ull}) {
      std::vector<float> v = sample(n, 7 + kind, kind);
      const Summary s = streamed(v, 4096);
      std::vector<float> sorted = v;
      const Summary exact = summarize(sorted);
      for (size_t k = 0; k < kPercentileLevels.size(); ++k) EXPECT_EQ(s.percentiles[k], exact.percentiles[k]) << kind << " " << n << " " << k;
      // Sums in another order: equal to rounding.
      EXPECT_NEAR(s.mean, exact.mean, 1e-9 * (1 + std::abs(exact.mean))) << kind << " " << n;
      EXPECT_NEAR(s.sd, exact.sd, 1e-9 * (1 + exact.sd)) << kind << " " << n;
      EXPECT_NEAR(s.cvar5, exact.cvar5, 1e-9 * (1 + std::abs(exact.cvar5))) << kind << " " << n;
    }
}

TEST(ColumnSummary, TheSameBitsForAnyBatchesAndOrder) {
  const std::vector<float> v = sample(300001, 11, 1);  // five blocks, the last one short
  const Summary reference = streamed(v, v.size());
  for (std::uint64_t batch : {1ull, 777ull, 65536ull, 100000ull}) expect_same_bits(streamed(v, batch), reference);
  // Whole blocks may come in any order (ranks, devices): reversed.
  for (std::uint64_t batch : {kSummaryBlock, 2 * kSummaryBlock}) expect_same_bits(streamed(v, batch, true), reference);
  // Within a block they may not.
  EXPECT_THROW(streamed(v, 777, true), std::logic_error);
}

// Ranks as streaming_passes.cpp merges them: each summarises its run of whole blocks, rank 0 merges
// the others in rank order after each pass and every rank continues from its state. Splits where
// the first ranks hold no block (fewer blocks than ranks) included: the same bits as one summary.
TEST(ColumnSummary, RanksMergedInOrderGiveTheSameBitsWhateverTheSplit) {
  const std::vector<float> v = sample(200000, 5, 0);  // four blocks, the last one short
  const Summary reference = streamed(v, v.size());
  const std::uint64_t blocks = (v.size() + kSummaryBlock - 1) / kSummaryBlock;
  for (const std::vector<std::uint64_t>& first_blocks :
       {std::vector<std::uint64_t>{0, 2}, {0, 0, 1, 3}, {0, 0, 0, 4}, {0, 4, 4}, {0, 1, 2, 3}}) {
    const std::size_t ranks = first_blocks.size();
    std::vector<ColumnSummary> rank(ranks, ColumnSummary(v.size()));
    for (int pass = 0; pass < kSummaryPasses; ++pass) {
      for (std::size_t r = 0; r < ranks; ++r) {
        const std::uint64_t lo = std::min<std::uint64_t>(first_blocks[r] * kSummaryBlock, v.size());
        const std::uint64_t hi = std::min<std::uint64_t>((r + 1 < ranks ? first_blocks[r + 1] : blocks) * kSummaryBlock, v.size());
        for (std::uint64_t first = lo; first < hi; first += 30000)
          rank[r].add(pass, first, v.data() + first, std::min<std::uint64_t>(30000, hi - first));
      }
      for (std::size_t r = 1; r < ranks; ++r) rank[0].merge(rank[r], pass);
      rank[0].finish_pass(pass);
      for (std::size_t r = 1; r < ranks; ++r) rank[r] = rank[0];
    }
    expect_same_bits(rank[0].summary(), reference);
  }
}

TEST(ColumnSummary, APassThatMissesPathsIsRefused) {
  const std::vector<float> v = sample(1000, 3, 0);
  ColumnSummary c(v.size());
  c.add(0, 0, v.data(), 999);
  EXPECT_THROW(c.finish_pass(0), std::logic_error);
}

}  // namespace
}  // namespace buildout
