#pragma once
// Reuse distances of one thread's frame accesses, taken in order: for each access, how many bytes
// of other frame words the thread touched since it last touched the same word. A cache that
// keeps the last C bytes a thread touched (least recently used out first) holds the word exactly
// when those bytes plus the word's own fit in C, so one pass gives the bytes that miss a cache of
// any size (Mattson et al., "Evaluation techniques for storage hierarchies", IBM Systems Journal 9,
// 1970). Words are 4 bytes, the unit in which a GPU interleaves its threads' local memory: word k
// of 32 threads' frames shares a 128-byte line, so a warp whose lanes touch the same word fills
// a line, and a thread's share of a cache is counted in its own words.
//
// Header-only, for the hook (access_hook.cpp) and tests/test_memory_reuse.cpp. It runs inside the
// hook, so it allocates only when a path touches more than it has room for.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace buildout::traffic {

class ReuseDistances {
 public:
  static constexpr std::size_t kWordBytes = 4;
  // Reuse distances are told apart up to this many bytes; a longer one counts as this long.
  static constexpr std::size_t kLongestBytes = std::size_t{1} << 18;

  // frame_bytes: how far from the frame's low end an access can lie.
  explicit ReuseDistances(std::size_t frame_bytes)
      : last_(frame_bytes / kWordBytes + 1, 0), tree_(kInitialTimes + 1, 0), bytes_by_words_(kLongestBytes / kWordBytes + 1, 0) {}

  // A new thread: nothing of its frame is cached.
  void begin_path() {
    for (const std::size_t w : touched_) {
      mark(last_[w], -1);  // a mark reaches entries past now_: the tree is emptied mark by mark
      last_[w] = 0;
    }
    touched_.clear();
    now_ = 0;
  }

  // An access of n bytes at `offset` bytes from the frame's low end (which must fit its size).
  // Calls seen(bytes, words) for each word it touches: the cache, in words, that holds it (0 for a
  // first touch, which no cache holds).
  template <class Seen>
  void access(std::size_t offset, std::size_t n, Seen&& seen) {
    for (std::size_t w = offset / kWordBytes, end = (offset + n + kWordBytes - 1) / kWordBytes; w < end; ++w) {
      const std::size_t lo = w * kWordBytes > offset ? w * kWordBytes : offset;
      const std::size_t hi = (w + 1) * kWordBytes < offset + n ? (w + 1) * kWordBytes : offset + n;
      seen(hi - lo, touch(w, hi - lo));
    }
  }
  void access(std::size_t offset, std::size_t n) {
    access(offset, n, [](std::size_t, std::size_t) {});
  }

  // Bytes accessed, and of those the ones whose word the thread had not touched before.
  std::uint64_t bytes() const { return bytes_; }
  std::uint64_t first_touch_bytes() const { return first_touch_bytes_; }
  // Distinct bytes of frame touched, summed over the paths: the threads' footprints.
  std::uint64_t footprint_bytes() const { return footprint_words_ * kWordBytes; }

  // Bytes that miss a cache keeping the last cache_bytes bytes a thread touched: first touches,
  // and accesses whose word, with the words touched since it, does not fit.
  std::uint64_t miss_bytes(std::size_t cache_bytes) const {
    std::uint64_t miss = first_touch_bytes_;
    for (std::size_t words = cache_bytes / kWordBytes + 1; words < bytes_by_words_.size(); ++words) miss += bytes_by_words_[words];
    return miss;
  }

 private:
  static constexpr std::size_t kInitialTimes = std::size_t{1} << 15;

  // Word w is touched for n of its bytes; returns the cache, in words, that holds it (0: none).
  // tree_ (a Fenwick tree over times) marks the time of each word's last touch, so the words
  // touched since w's last touch are the marks after it.
  std::size_t touch(std::size_t w, std::size_t n) {
    if (now_ + 1 == tree_.size()) renumber();
    const std::size_t t = ++now_;
    bytes_ += n;
    std::size_t words = 0;
    if (last_[w] == 0) {
      first_touch_bytes_ += n;
      ++footprint_words_;
      touched_.push_back(w);
    } else {
      // Every touched word has one mark, all before t: those after w's are the words touched
      // since, and the cache must hold them and w itself.
      words = touched_.size() - marks_up_to(last_[w]) + 1;
      bytes_by_words_[words < bytes_by_words_.size() ? words : bytes_by_words_.size() - 1] += n;
      mark(last_[w], -1);
    }
    mark(t, +1);
    last_[w] = static_cast<std::uint32_t>(t);
    return words;
  }

  // Out of times: the touched words' last touches, in their order, become times 1, 2, ..., in a
  // tree with room for at least as many again.
  void renumber() {
    std::vector<std::size_t> by_time(now_ + 1, kNone);
    for (const std::size_t w : touched_) by_time[last_[w]] = w;
    std::size_t times = tree_.size() - 1;
    while (times < 2 * touched_.size()) times *= 2;
    tree_.assign(times + 1, 0);
    now_ = 0;
    for (const std::size_t w : by_time) {
      if (w == kNone) continue;
      last_[w] = static_cast<std::uint32_t>(++now_);
      mark(now_, +1);
    }
  }

  void mark(std::size_t t, int d) {
    for (; t < tree_.size(); t += t & (~t + 1)) tree_[t] += d;
  }
  std::size_t marks_up_to(std::size_t t) const {
    std::size_t s = 0;
    for (; t > 0; t -= t & (~t + 1)) s += static_cast<std::size_t>(tree_[t]);
    return s;
  }

  static constexpr std::size_t kNone = ~std::size_t{0};
  std::vector<std::uint32_t> last_;  // by word: the time of its last touch this path, 0 for none
  std::vector<std::size_t> touched_;  // the words touched this path
  std::vector<int> tree_;
  std::size_t now_ = 0;
  std::vector<std::uint64_t> bytes_by_words_;  // bytes by the cache, in words, that first holds them
  std::uint64_t bytes_ = 0, first_touch_bytes_ = 0, footprint_words_ = 0;
};

}  // namespace buildout::traffic
