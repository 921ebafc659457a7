#pragma once
// `run --target-se`: the run stops once the standard error of a named statistic
// is at or below the target for every player and owner, or at --paths. It is
// checked every kTargetSeCheckPaths paths, whatever the batch, so the path
// count it stops at is the same for any batch size, thread count or device.
#include <cstdint>
#include <string>
#include <vector>

#include "host/engine/simulate.hpp"

namespace buildout {

constexpr std::uint64_t kTargetSeCheckPaths = 8192;

class TargetSe {
 public:
  // statistic: a probability (p_npv_positive, ...) or a metric column (npv_usd_b, ...), whose
  // mean's standard error is held to the target. UserError for an unknown name or target <= 0.
  TargetSe(const CompiledModel& m, const std::string& statistic, double target);
  // The paths [done, done + n) of a batch, in path order.
  void add(const PathBuffers& batch, std::uint64_t n);
  double widest() const;  // the largest standard error over the players and owners so far
  bool met() const { return paths_ > 0 && widest() <= target_; }
  EarlyStop early_stop();

  const std::string& statistic() const { return statistic_; }
  double target() const { return target_; }
  std::uint64_t paths() const { return paths_; }

 private:
  const CompiledModel& m_;
  std::string statistic_;
  double target_;
  int probability_ = -1, column_ = -1;  // which of the two the statistic is
  std::uint64_t paths_ = 0;
  std::vector<double> hits_, mean_, m2_;  // per player: hits, or Welford's running mean and sum of squares
};

}  // namespace buildout
