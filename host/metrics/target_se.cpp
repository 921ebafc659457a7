#include "target_se.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "host/config/config_error.hpp"

namespace buildout {
namespace {

std::string format_se(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

TargetSe::TargetSe(const CompiledModel& m, const std::string& statistic, double target)
    : m_(m), statistic_(statistic), target_(target) {
  if (!(target > 0) || !std::isfinite(target))
    throw UserError("--target-se: expected a standard error > 0, got " + format_se(target));
  for (int k = 0; k < kPlayerProbabilities; ++k)
    if (statistic == kPlayerProbabilityInfo[k].name) probability_ = k;
  for (int c = 0; c < m.n_player_metrics(); ++c)
    if (statistic == m.player_columns[c].name) column_ = c;
  if (probability_ < 0 && column_ < 0) {
    std::string known;
    for (const auto& p : kPlayerProbabilityInfo) known += std::string(known.empty() ? "" : ", ") + p.name;
    for (const auto& c : m.player_columns) known += ", " + c.name;
    throw UserError("--target-stat: unknown statistic \"" + statistic + "\" (a probability or a metric column: " + known + ")");
  }
  hits_.assign(m.n_players(), 0.0);
  mean_.assign(m.n_players(), 0.0);
  m2_.assign(m.n_players(), 0.0);
}

void TargetSe::add(const PathBuffers& batch, std::uint64_t n) {
  for (int p = 0; p < m_.n_players(); ++p) {
    if (probability_ >= 0) {
      const std::uint8_t* f = batch.player_flags.data() + p * batch.stride;
      const std::uint8_t bit = flag_of(static_cast<PlayerProbability>(probability_));
      for (std::uint64_t i = 0; i < n; ++i) hits_[p] += (f[i] & bit) != 0;
    } else {
      const float* x = batch.player_metrics.data() + (static_cast<std::uint64_t>(column_) * m_.n_players() + p) * batch.stride;
      for (std::uint64_t i = 0; i < n; ++i) {
        const double k = static_cast<double>(paths_ + i + 1), delta = x[i] - mean_[p];
        mean_[p] += delta / k;
        m2_[p] += delta * (x[i] - mean_[p]);
      }
    }
  }
  paths_ += n;
}

double TargetSe::widest() const {
  if (paths_ < 2) return INFINITY;
  const double n = static_cast<double>(paths_);
  double widest = 0;
  for (int p = 0; p < m_.n_players(); ++p) {
    // A share's error from Agresti and Coull's (hits + 2) / (n + 4): no share of 0 or 1 reads as exact.
    const double q = (hits_[p] + 2) / (n + 4);
    const double se = probability_ >= 0 ? std::sqrt(q * (1 - q) / (n + 4)) : std::sqrt(m2_[p] / (n - 1) / n);
    widest = std::max(widest, se);
  }
  return widest;
}

EarlyStop TargetSe::early_stop() {
  return EarlyStop{kTargetSeCheckPaths, [this](const PathBuffers& b, std::uint64_t n) { add(b, n); }, [this] { return met(); }};
}

}  // namespace buildout
