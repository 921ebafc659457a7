#pragma once
// The summary of one column of per-path values, built from passes over the
// column without keeping it: exact order statistics by radix select on the
// values' 32-bit order keys (12, then 10, then 10 bits, one pass each), and
// moments folded per block of paths.
//
// What depends on the order of additions is computed per block of
// kSummaryBlock paths (path i is in block i / kSummaryBlock), each block in
// path order, and the blocks are folded in block order; everything else is
// integer counts. So the summary is the same, to the bit, however the paths
// are split into batches, threads, devices or ranks, whether the column is
// kept in memory or simulated again for each pass, and whether a batch's
// values come here or were reduced where they were computed (add_partials,
// kernels/batch_reduce.hpp: the same fold functions). The percentiles are the
// exact order statistics, interpolated as numpy does by default.
#include <array>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/column_partials.hpp"
#include "byte_stream.hpp"
#include "statistics.hpp"

namespace buildout {

constexpr int kSummaryPasses = 3;

// Per-block partials, each built in path order, folded in block order as soon
// as every earlier block is complete, so only the blocks in flight are held.
template <typename Partial>
class BlockFold {
 public:
  explicit BlockFold(std::uint64_t paths) : paths_(paths) {}
  // The running partial of the block that holds `path`: the caller adds the
  // block's values from `path` on, in path order, then says how many with done().
  // A block's values arrive in path order (batches of one block in order).
  Partial& running(std::uint64_t path) {
    auto& entry = pending_[path / kSummaryBlock];
    if (path != (path / kSummaryBlock) * kSummaryBlock + entry.second)
      throw std::logic_error("BlockFold: path " + std::to_string(path) + " out of order within its block");
    return entry.first;
  }
  void done(std::uint64_t block, std::uint64_t n) {
    pending_[block].second += n;
    fold_ready();
  }
  const Partial& total() const { return total_; }

  // Takes in another fold's blocks (blocks no other fold holds: another rank's). Where the other
  // holds the first blocks (every rank before it had none), it has folded them already: its
  // total is where this one starts.
  void absorb(const BlockFold& other) {
    if (other.next_ > 0) {
      if (next_ > 0 || (!pending_.empty() && pending_.begin()->first < other.next_))
        throw std::logic_error("BlockFold: block " + std::to_string(other.next_ - 1) + " twice");
      total_ = other.total_;
      next_ = other.next_;
      fold_ready();
    }
    for (const auto& [block, entry] : other.pending_) {
      if (pending_.count(block) || block < next_) throw std::logic_error("BlockFold: block " + std::to_string(block) + " twice");
      pending_[block].first = entry.first;
      done(block, entry.second);
    }
  }

  void save(ByteWriter& w) const {
    w.put(paths_);
    w.put(next_);
    w.put<std::uint64_t>(pending_.size());
    for (const auto& [block, entry] : pending_) {
      w.put(block);
      w.put(entry.first);
      w.put(entry.second);
    }
    w.put(total_);
  }
  // Restores a saved fold of the same path count; a state no fold can be in (a block past the
  // last, one folded and pending, more paths in a block than it has) throws std::runtime_error.
  void load(ByteReader& r) {
    if (r.get<std::uint64_t>() != paths_) throw std::runtime_error("a block fold of another path count");
    const std::uint64_t blocks = (paths_ + kSummaryBlock - 1) / kSummaryBlock;
    next_ = r.get<std::uint64_t>();
    if (next_ > blocks) throw std::runtime_error("a block fold past its last block");
    pending_.clear();
    const auto n = r.get<std::uint64_t>();
    if (n > blocks - next_) throw std::runtime_error("a block fold with more blocks in flight than it has");
    for (auto k = n; k > 0; --k) {
      const auto block = r.get<std::uint64_t>();
      const auto partial = r.get<Partial>();
      const auto count = r.get<std::uint64_t>();
      if (block < next_ || block >= blocks || pending_.count(block) || count == 0 || count > block_size(block))
        throw std::runtime_error("a block fold with an impossible block in flight");
      pending_[block] = {partial, count};
    }
    total_ = r.get<Partial>();
  }
  // The paths it holds: folded, and in the blocks in flight.
  std::uint64_t folded() const { return next_ * kSummaryBlock < paths_ ? next_ * kSummaryBlock : paths_; }
  std::uint64_t held() const {
    std::uint64_t n = folded();
    for (const auto& [block, entry] : pending_) n += entry.second;
    return n;
  }
  template <typename F>
  void for_each_pending(F f) const {
    for (const auto& [block, entry] : pending_) f(entry.first, entry.second);
  }

 private:
  // Folds the complete blocks that now follow the total, in block order.
  void fold_ready() {
    for (auto it = pending_.find(next_); it != pending_.end() && it->second.second == block_size(next_); it = pending_.find(next_)) {
      total_.merge(it->second.first);
      pending_.erase(it);
      ++next_;
    }
  }
  std::uint64_t block_size(std::uint64_t block) const {
    const std::uint64_t begin = block * kSummaryBlock;
    return paths_ - begin < kSummaryBlock ? paths_ - begin : kSummaryBlock;
  }
  std::uint64_t paths_, next_ = 0;
  std::map<std::uint64_t, std::pair<Partial, std::uint64_t>> pending_;  // block -> (partial, paths in it so far)
  Partial total_{};
};

class ColumnSummary {
 public:
  explicit ColumnSummary(std::uint64_t paths);
  // Values of paths [first, first + n) for pass 0, 1 or 2, in path order;
  // a pass must see every path once, its batches in any order.
  void add(int pass, std::uint64_t first, const float* values, std::uint64_t n);

  // The same batch reduced elsewhere (kernels/batch_reduce.hpp): what it counts under this
  // pass, and where its first block run's moments (pass 0) and tail sum (pass 2) start from.
  ColumnPass pass_view(int pass) const;
  std::uint32_t tail_prefix() const;  // pass 2
  Moments moments_before(std::uint64_t first);
  double tail_before(std::uint64_t first);
  // What it gave: counts by bin (count_key), and per block run the folded moments (pass 0) or
  // tail sum (pass 2), each continuing from the one before the batch in its first run.
  void add_partials(int pass, std::uint64_t first, std::uint64_t n, const std::uint32_t* counts, const Moments* run_moments,
                    const double* run_tails);
  void finish_pass(int pass);
  Summary summary() const;  // after the last pass
  // Adds what `other` (another rank's summary of other paths) gathered in `pass`.
  void merge(const ColumnSummary& other, int pass);
  // Its whole state, for a checkpoint; load() restores it into a summary made for the same paths.
  void save(ByteWriter& w) const;
  void load(ByteReader& r);
  // Throws std::runtime_error unless it is a state this summary can be in during `pass`, after
  // this process counted `counted` values of it: counts that add up, and targets and prefixes
  // that the path count gives. A checkpoint's state is held to it before it is used.
  void validate(int pass, std::uint64_t counted) const;

 private:
  struct Target {
    std::uint64_t rank;          // 0-based, ascending
    std::uint32_t key = 0;       // its digits, found pass by pass
    std::uint64_t rank_left = 0; // its rank among the keys that share those digits
  };
  struct TailSum {
    double sum = 0;
    void merge(const TailSum& next) { sum += next.sum; }
  };
  int slot_of(std::uint32_t prefix) const;  // index into prefixes_ and counts_, -1 if none
  const Target& target(std::uint64_t rank) const;  // one of targets_
  float value_at(std::uint64_t rank) const;

  std::uint64_t paths_;
  std::uint64_t expected_;  // values the current pass must count
  std::vector<Target> targets_;  // the percentiles' order statistics and the CVaR's
  std::array<std::uint64_t, 4096> top_{};  // pass 0: counts of the top 12 bits
  std::vector<std::uint32_t> prefixes_;    // passes 1, 2: the targets' prefixes (12, then 22 bits)
  std::vector<std::array<std::uint64_t, 1024>> counts_;  // passes 1, 2: the next 10 bits under each prefix
  std::array<std::int8_t, 4096> first_slot_{};  // passes 1, 2: by top 12 bits, 1 + the first slot under them (0: none)
  BlockFold<Moments> moments_;   // pass 0
  BlockFold<TailSum> below_;     // pass 2: values whose 22-bit prefix is below the tail's
  std::uint64_t tail_ = 0;       // CVaR's count: max(1, ceil(5% of paths)) lowest values
  std::uint64_t tail_below_ = 0; // values below the tail's order statistic
  double tail_prefix_sum_ = 0;   // of those, the ones that share its 22-bit prefix
};

}  // namespace buildout
