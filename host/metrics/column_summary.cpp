#include "column_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace buildout {

ColumnSummary::ColumnSummary(std::uint64_t paths) : paths_(paths), expected_(paths), moments_(paths), below_(paths) {
  std::vector<std::uint64_t> ranks;
  if (paths > 0) {
    for (double level : kPercentileLevels) {
      const double h = (paths - 1) * level / 100.0;
      const auto lo = static_cast<std::uint64_t>(std::floor(h));
      ranks.push_back(lo);
      ranks.push_back(std::min(lo + 1, paths - 1));
    }
    tail_ = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(0.05 * paths)));
    ranks.push_back(tail_ - 1);
  }
  std::sort(ranks.begin(), ranks.end());
  ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
  for (std::uint64_t r : ranks) targets_.push_back(Target{r});
}

int ColumnSummary::slot_of(std::uint32_t prefix) const {
  for (size_t k = 0; k < prefixes_.size(); ++k)
    if (prefixes_[k] == prefix) return static_cast<int>(k);
  return -1;
}

namespace {

// Calls f(path, i, take) for each run of values [i, i + take) of paths [first, first + n) that
// lies in one block, in order; path = first + i opens the run.
template <typename F>
void for_each_block_run(std::uint64_t first, std::uint64_t n, F f) {
  for (std::uint64_t r = 0, runs = block_runs(first, n); r < runs; ++r) {
    std::uint64_t begin, take;
    block_run(first, n, r, begin, take);
    f(first + begin, begin, take);
  }
}

}  // namespace

ColumnPass ColumnSummary::pass_view(int pass) const {
  return ColumnPass{pass, first_slot_.data(), prefixes_.data(), static_cast<int>(prefixes_.size())};
}

std::uint32_t ColumnSummary::tail_prefix() const { return tail_ > 0 ? target(tail_ - 1).key >> 10 : 0; }

Moments ColumnSummary::moments_before(std::uint64_t first) { return moments_.running(first); }

double ColumnSummary::tail_before(std::uint64_t first) { return below_.running(first).sum; }

void ColumnSummary::add(int pass, std::uint64_t first, const float* values, std::uint64_t n) {
  const ColumnPass counted = pass_view(pass);
  if (pass == 0) {
    for (std::uint64_t i = 0; i < n; ++i) count_key(counted, order_key(values[i]), [&](std::uint32_t bin) { ++top_[bin]; });
  } else {
    for (std::uint64_t i = 0; i < n; ++i)
      count_key(counted, order_key(values[i]), [&](std::uint32_t bin) { ++counts_[bin / kDigitBins][bin % kDigitBins]; });
  }
  if (pass == 1) return;
  // Moments (pass 0) and the tail sum (pass 2) block by block, each in path order.
  const std::uint32_t below = pass == 2 ? tail_prefix() : 0;
  for_each_block_run(first, n, [&](std::uint64_t path, std::uint64_t begin, std::uint64_t take) {
    if (pass == 0) {
      Moments& m = moments_.running(path);
      m = fold_moments(m, values + begin, take);
      moments_.done(path / kSummaryBlock, take);
    } else {
      TailSum& t = below_.running(path);
      t.sum = fold_tail(t.sum, below, values + begin, take);
      below_.done(path / kSummaryBlock, take);
    }
  });
}

void ColumnSummary::add_partials(int pass, std::uint64_t first, std::uint64_t n, const std::uint32_t* counts, const Moments* run_moments,
                                 const double* run_tails) {
  if (pass == 0) {
    for (int b = 0; b < kTopBins; ++b) top_[b] += counts[b];
  } else {
    for (size_t slot = 0; slot < counts_.size(); ++slot)
      for (int d = 0; d < kDigitBins; ++d) counts_[slot][d] += counts[slot * kDigitBins + d];
  }
  if (pass == 1) return;
  std::uint64_t r = 0;
  for_each_block_run(first, n, [&](std::uint64_t path, std::uint64_t, std::uint64_t take) {
    if (pass == 0) {
      moments_.running(path) = run_moments[r++];
      moments_.done(path / kSummaryBlock, take);
    } else {
      below_.running(path).sum = run_tails[r++];
      below_.done(path / kSummaryBlock, take);
    }
  });
}

void ColumnSummary::finish_pass(int pass) {
  std::uint64_t seen = 0;
  if (pass == 0) {
    size_t t = 0;
    for (std::uint32_t b = 0; b < top_.size(); ++b) {
      for (; t < targets_.size() && targets_[t].rank < seen + top_[b]; ++t) {
        targets_[t].key = b << 20;
        targets_[t].rank_left = targets_[t].rank - seen;
      }
      seen += top_[b];
    }
  } else {
    for (const auto& c : counts_)
      for (std::uint64_t x : c) seen += x;
    for (Target& t : targets_) {
      const std::uint32_t prefix = pass == 1 ? t.key >> 20 : t.key >> 10;
      const auto& c = counts_[slot_of(prefix)];
      std::uint64_t before = 0;
      std::uint32_t digit = 0;
      while (t.rank_left >= before + c[digit]) before += c[digit++];
      if (pass == 2 && t.rank == tail_ - 1) {
        // The CVaR needs the values below its order statistic: those under a lower prefix were
        // summed in this pass; those under its own differ only in these 10 bits, so each bin is one value.
        tail_below_ = t.rank - t.rank_left + before;
        for (std::uint32_t low = 0; low < digit; ++low)
          tail_prefix_sum_ += c[low] * static_cast<double>(key_value((prefix << 10) | low));
      }
      t.key |= digit << (pass == 1 ? 10 : 0);
      t.rank_left -= before;
    }
  }
  // A pass that missed or repeated paths would give wrong order statistics: refuse it.
  if (seen != expected_)
    throw std::logic_error("ColumnSummary: pass " + std::to_string(pass) + " counted " + std::to_string(seen) + " values, expected " +
                           std::to_string(expected_));
  if (pass == 2) return;
  // The prefixes the next pass counts under (12 bits after pass 0, 22 after pass 1), and how
  // many values it must count under them, as this pass counted them.
  // The targets ascend, and so do their prefixes: count_key finds a key's slots by its top 12 bits.
  std::vector<std::uint32_t> next;
  std::array<std::int8_t, 4096> first_slot{};
  for (const Target& t : targets_) {
    const std::uint32_t prefix = pass == 0 ? t.key >> 20 : t.key >> 10;
    if (!next.empty() && next.back() == prefix) continue;
    if (!next.empty() && next.back() > prefix) throw std::logic_error("ColumnSummary: order statistics out of order");
    next.push_back(prefix);
    if (first_slot[t.key >> 20] == 0) first_slot[t.key >> 20] = static_cast<std::int8_t>(next.size());
  }
  expected_ = 0;
  for (std::uint32_t prefix : next) expected_ += pass == 0 ? top_[prefix] : counts_[slot_of(prefix >> 10)][prefix & 1023u];
  prefixes_ = next;
  first_slot_ = first_slot;
  counts_.assign(prefixes_.size(), std::array<std::uint64_t, 1024>{});
}

const ColumnSummary::Target& ColumnSummary::target(std::uint64_t rank) const {
  for (const Target& t : targets_)
    if (t.rank == rank) return t;
  throw std::logic_error("ColumnSummary: rank not selected");
}

float ColumnSummary::value_at(std::uint64_t rank) const { return key_value(target(rank).key); }

Summary ColumnSummary::summary() const {
  Summary s;
  const std::uint64_t n = paths_;
  if (n == 0) return s;
  const Moments& m = moments_.total();
  s.mean = m.mean;
  s.sd = n > 1 ? std::sqrt(m.m2 / (n - 1)) : 0.0;
  s.se = s.sd / std::sqrt(static_cast<double>(n));
  for (size_t k = 0; k < kPercentileLevels.size(); ++k) {
    const double h = (n - 1) * kPercentileLevels[k] / 100.0;
    const auto lo = static_cast<std::uint64_t>(std::floor(h));
    const float v_lo = value_at(lo), v_hi = value_at(std::min(lo + 1, n - 1));
    s.percentiles[k] = v_lo + (h - lo) * (static_cast<double>(v_hi) - v_lo);
  }
  const double at_tail = value_at(tail_ - 1);
  s.cvar5 = (below_.total().sum + tail_prefix_sum_ + static_cast<double>(tail_ - tail_below_) * at_tail) / tail_;
  return s;
}

void ColumnSummary::merge(const ColumnSummary& other, int pass) {
  if (pass == 0) {
    for (size_t b = 0; b < top_.size(); ++b) top_[b] += other.top_[b];
    moments_.absorb(other.moments_);
    return;
  }
  if (other.prefixes_ != prefixes_) throw std::logic_error("ColumnSummary: merging summaries at different prefixes");
  for (size_t k = 0; k < counts_.size(); ++k)
    for (size_t d = 0; d < 1024; ++d) counts_[k][d] += other.counts_[k][d];
  if (pass == 2) below_.absorb(other.below_);
}

void ColumnSummary::save(ByteWriter& w) const {
  w.put(paths_);
  w.put(expected_);
  w.put<std::uint64_t>(targets_.size());
  for (const Target& t : targets_) {
    w.put(t.rank);
    w.put(t.key);
    w.put(t.rank_left);
  }
  w.put(top_);
  w.put_vector(prefixes_);
  w.put_vector(counts_);
  w.put(first_slot_);
  moments_.save(w);
  below_.save(w);
  w.put(tail_);
  w.put(tail_below_);
  w.put(tail_prefix_sum_);
}

void ColumnSummary::load(ByteReader& r) {
  if (r.get<std::uint64_t>() != paths_) throw std::runtime_error("a column summary for another path count");
  expected_ = r.get<std::uint64_t>();
  if (r.get<std::uint64_t>() != targets_.size()) throw std::runtime_error("a column summary with other targets");
  for (Target& t : targets_) {
    if (r.get<std::uint64_t>() != t.rank) throw std::runtime_error("a column summary whose order statistics are not its path count's");
    t.key = r.get<std::uint32_t>();
    t.rank_left = r.get<std::uint64_t>();
  }
  top_ = r.get<decltype(top_)>();
  prefixes_ = r.get_vector<std::uint32_t>();
  counts_ = r.get_vector<std::array<std::uint64_t, 1024>>();
  first_slot_ = r.get<decltype(first_slot_)>();
  moments_.load(r);
  below_.load(r);
  tail_ = r.get<std::uint64_t>();
  tail_below_ = r.get<std::uint64_t>();
  tail_prefix_sum_ = r.get<double>();
}

void ColumnSummary::validate(int pass, std::uint64_t counted) const {
  const auto corrupt = [](const char* what) { return std::runtime_error(std::string("a column summary whose ") + what); };
  if (expected_ > paths_ || (pass == 0 && expected_ != paths_)) throw corrupt("values to count are more than its paths");
  // The digits a target's key has: none before pass 0 ends, 12 bits before pass 1 ends, 22 before pass 2.
  const std::uint32_t unknown = pass == 0 ? ~0u : pass == 1 ? (1u << 20) - 1 : (1u << 10) - 1;
  for (const Target& t : targets_)
    if ((t.key & unknown) != 0 || t.rank_left > t.rank) throw corrupt("order statistics are not at its pass");
  std::uint64_t top = 0;
  for (std::uint64_t c : top_) {
    if (c > paths_) throw corrupt("counts are more than its paths");
    top += c;
  }
  if (top != (pass == 0 ? counted : paths_)) throw corrupt("pass-0 counts do not add up to the paths counted");
  // The prefixes and first slots are what finish_pass makes of the targets: made again, they must agree.
  std::vector<std::uint32_t> prefixes;
  std::array<std::int8_t, 4096> first_slot{};
  if (pass > 0)
    for (const Target& t : targets_) {
      const std::uint32_t prefix = pass == 1 ? t.key >> 20 : t.key >> 10;
      if (!prefixes.empty() && prefixes.back() == prefix) continue;
      if (!prefixes.empty() && prefixes.back() > prefix) throw corrupt("order statistics are out of order");
      prefixes.push_back(prefix);
      if (first_slot[t.key >> 20] == 0) first_slot[t.key >> 20] = static_cast<std::int8_t>(prefixes.size());
    }
  if (prefixes != prefixes_ || first_slot != first_slot_ || counts_.size() != prefixes_.size())
    throw corrupt("prefixes are not its order statistics'");
  std::uint64_t digits = 0;
  for (const auto& c : counts_)
    for (std::uint64_t x : c) {
      if (x > paths_) throw corrupt("counts are more than its paths");
      digits += x;
    }
  if (digits > counted || digits > expected_) throw corrupt("counts are more than the values counted");
  if (pass == 1) {  // what pass 1 must count follows from pass 0's counts
    std::uint64_t e = 0;
    for (std::uint32_t prefix : prefixes_) e += top_[prefix];
    if (e != expected_) throw corrupt("values to count are not its pass-0 counts'");
  }
  // Pass 0 folds moments of the values it counts; pass 2 folds the tail's sum.
  if (moments_.held() != (pass == 0 ? counted : paths_) || moments_.total().n != moments_.folded())
    throw corrupt("moments do not hold the paths counted");
  moments_.for_each_pending([&](const Moments& m, std::uint64_t n) {
    if (m.n != n) throw corrupt("moments do not hold the paths counted");
  });
  if (below_.held() != (pass == 2 ? counted : 0)) throw corrupt("tail sums do not hold the paths counted");
  const std::uint64_t tail = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(0.05 * paths_)));
  if (tail_ != tail || tail_below_ > paths_ || !std::isfinite(tail_prefix_sum_)) throw corrupt("tail is not its path count's");
}

}  // namespace buildout
