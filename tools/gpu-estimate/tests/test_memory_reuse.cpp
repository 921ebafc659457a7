// Reuse distances (memory_traffic/reuse_distance.hpp) on access sequences whose misses are
// known by hand, and against a plain least-recently-used cache simulated word by word over a long
// random sequence that makes the Fenwick tree renumber its times.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "memory_traffic/reuse_distance.hpp"

namespace {

using buildout::traffic::ReuseDistances;

// Three sweeps over ten words: after the first, every access has the nine others in between.
TEST(ReuseDistance, ASweepMissesEveryCacheSmallerThanItself) {
  ReuseDistances r(1024);
  r.begin_path();
  for (int sweep = 0; sweep < 3; ++sweep)
    for (std::size_t w = 0; w < 10; ++w) r.access(4 * w, 4);
  EXPECT_EQ(r.bytes(), 120u);
  EXPECT_EQ(r.first_touch_bytes(), 40u);
  EXPECT_EQ(r.footprint_bytes(), 40u);
  EXPECT_EQ(r.miss_bytes(36), 120u);
  EXPECT_EQ(r.miss_bytes(40), 40u);
}

TEST(ReuseDistance, AWordTouchedAgainAtOnceNeedsOnlyItself) {
  ReuseDistances r(64);
  r.begin_path();
  std::vector<std::size_t> words;
  for (int k = 0; k < 3; ++k) r.access(8, 4, [&](std::size_t, std::size_t w) { words.push_back(w); });
  EXPECT_EQ(words, (std::vector<std::size_t>{0, 1, 1}));
  EXPECT_EQ(r.miss_bytes(4), 4u);
  EXPECT_EQ(r.miss_bytes(0), 12u);
}

// An access counts in each word it covers, for the bytes it covers there.
TEST(ReuseDistance, AnAccessAcrossWordsTouchesEachForItsOwnBytes) {
  ReuseDistances r(64);
  r.begin_path();
  std::vector<std::size_t> bytes;
  r.access(2, 8, [&](std::size_t b, std::size_t) { bytes.push_back(b); });
  EXPECT_EQ(bytes, (std::vector<std::size_t>{2, 4, 2}));
  EXPECT_EQ(r.footprint_bytes(), 12u);
}

// A new path starts with nothing cached: its first access to a word is a first touch again.
TEST(ReuseDistance, ANewPathHasNothingCached) {
  ReuseDistances r(64);
  r.begin_path();
  r.access(0, 4);
  r.access(0, 4);
  r.begin_path();
  r.access(0, 4);
  EXPECT_EQ(r.first_touch_bytes(), 8u);
  EXPECT_EQ(r.miss_bytes(1024), 8u);
}

// Word by word, the position of the word in a list ordered by last touch is the cache it needs.
TEST(ReuseDistance, AgreesWithAnLruStackOverALongRandomSequence) {
  constexpr std::size_t kWords = 700, kCaches[] = {4, 64, 400, 1000, 2000, 2800};
  ReuseDistances r(4 * kWords);
  std::mt19937_64 rng(20261130);
  std::uint64_t bytes = 0, first = 0, lru_miss[std::size(kCaches)] = {};
  for (int path = 0; path < 3; ++path) {
    r.begin_path();
    std::vector<std::size_t> stack;  // most recent first
    // More touches than the tree's first 32,768 times, so that it renumbers; a skewed choice of
    // words so that short and long distances both occur.
    for (int k = 0; k < 50000; ++k) {
      const std::size_t w = (rng() % 4 == 0) ? rng() % kWords : rng() % 40;
      const std::size_t n = 1 + rng() % 4;
      r.access(4 * w, n);
      bytes += n;
      const auto at = std::find(stack.begin(), stack.end(), w);
      const std::size_t needs = at == stack.end() ? 0 : static_cast<std::size_t>(at - stack.begin()) + 1;
      if (needs == 0) first += n;
      for (std::size_t c = 0; c < std::size(kCaches); ++c)
        if (needs == 0 || 4 * needs > kCaches[c]) lru_miss[c] += n;
      if (at != stack.end()) stack.erase(at);
      stack.insert(stack.begin(), w);
    }
  }
  EXPECT_EQ(r.bytes(), bytes);
  EXPECT_EQ(r.first_touch_bytes(), first);
  for (std::size_t c = 0; c < std::size(kCaches); ++c) EXPECT_EQ(r.miss_bytes(kCaches[c]), lru_miss[c]) << kCaches[c] << " bytes";
}

}  // namespace
