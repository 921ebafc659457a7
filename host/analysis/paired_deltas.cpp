#include "paired_deltas.hpp"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "../config/config_error.hpp"
#include "../metrics/aggregate.hpp"
#include "../metrics/statistics.hpp"

namespace buildout {
namespace {

constexpr double kZ95 = 1.959963984540054;

// Mean and sample variance, two-pass.
void mean_var(const std::vector<double>& x, double& mean, double& var) {
  mean = 0;
  for (double v : x) mean += v;
  mean /= x.size();
  var = 0;
  for (double v : x) var += (v - mean) * (v - mean);
  var = x.size() > 1 ? var / (x.size() - 1) : 0.0;
}

Delta paired(const std::vector<double>& a, const std::vector<double>& b) {
  const std::uint64_t n = a.size();
  std::vector<double> d(n);
  for (std::uint64_t i = 0; i < n; ++i) d[i] = b[i] - a[i];
  Delta r;
  double var_a, var_b, var_d;
  mean_var(a, r.base, var_a);
  mean_var(b, r.other, var_b);
  mean_var(d, r.delta, var_d);
  r.se_paired = std::sqrt(var_d / n);
  r.se_independent = std::sqrt((var_a + var_b) / n);
  r.lo = r.delta - kZ95 * r.se_paired;
  r.hi = r.delta + kZ95 * r.se_paired;
  return r;
}

double percentile_of(std::vector<float> values, double level) {
  std::sort(values.begin(), values.end());
  return percentile_of_sorted(values.data(), values.size(), level);
}

const int kPercentiles[] = {10, 50, 90};

}  // namespace

double Delta::variance_reduction() const {
  if (se_paired > 0) return (se_independent * se_independent) / (se_paired * se_paired);
  return se_independent > 0 ? std::numeric_limits<double>::infinity() : 1.0;
}

Delta mean_delta(const float* base, const float* other, std::uint64_t n) {
  return paired(std::vector<double>(base, base + n), std::vector<double>(other, other + n));
}

Delta share_delta(const std::uint8_t* base, const std::uint8_t* other, std::uint8_t flag, std::uint64_t n) {
  std::vector<double> a(n), b(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    a[i] = (base[i] & flag) ? 1.0 : 0.0;
    b[i] = (other[i] & flag) ? 1.0 : 0.0;
  }
  return paired(a, b);
}

Delta percentile_delta(const float* base, const float* other, std::uint64_t n, double level) {
  Delta r;
  r.base = percentile_of(std::vector<float>(base, base + n), level);
  r.other = percentile_of(std::vector<float>(other, other + n), level);
  r.delta = r.other - r.base;
  if (n < static_cast<std::uint64_t>(2 * kDeltaSections)) {
    r.lo = -std::numeric_limits<double>::infinity();
    r.hi = std::numeric_limits<double>::infinity();
    r.se_paired = r.se_independent = std::numeric_limits<double>::infinity();
    return r;
  }
  std::vector<double> a(kDeltaSections), b(kDeltaSections), d(kDeltaSections);
  for (int k = 0; k < kDeltaSections; ++k) {
    const std::uint64_t lo = n * k / kDeltaSections, hi = n * (k + 1) / kDeltaSections;
    a[k] = percentile_of(std::vector<float>(base + lo, base + hi), level);
    b[k] = percentile_of(std::vector<float>(other + lo, other + hi), level);
    d[k] = b[k] - a[k];
  }
  double mean, var_a, var_b, var_d;
  mean_var(a, mean, var_a);
  mean_var(b, mean, var_b);
  mean_var(d, mean, var_d);
  r.se_paired = std::sqrt(var_d / kDeltaSections);
  r.se_independent = std::sqrt((var_a + var_b) / kDeltaSections);
  const double t = boost::math::quantile(boost::math::students_t(kDeltaSections - 1), 0.975);
  r.lo = r.delta - t * r.se_paired;
  r.hi = r.delta + t * r.se_paired;
  return r;
}

void require_same_players(const CompiledModel& base_m, const std::string& base_name, const CompiledModel& other_m,
                          const std::string& other_name) {
  std::vector<std::string> a = base_m.player_ids, b = other_m.player_ids;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  if (a == b) return;
  const auto missing = [](const std::vector<std::string>& from, const std::vector<std::string>& in) {
    std::string s;
    for (const auto& id : from)
      if (!std::binary_search(in.begin(), in.end(), id)) s += (s.empty() ? "" : ", ") + id;
    return s.empty() ? std::string("none") : s;
  };
  throw UserError("compare: " + other_name + " has other players than " + base_name + " (only in " + base_name + ": " + missing(a, b) +
                  "; only in " + other_name + ": " + missing(b, a) + "): a comparison needs the same players and owners");
}

std::vector<DeltaRow> paired_deltas(const CompiledModel& base_m, const PathResults& base, const CompiledModel& other_m,
                                    const PathResults& other) {
  const std::uint64_t n = std::min(base.paths, other.paths);
  std::vector<DeltaRow> rows;
  for (int p = 0; p < base_m.n_players(); ++p) {
    const std::string& id = base_m.player_ids[p];
    const int q = static_cast<int>(std::find(other_m.player_ids.begin(), other_m.player_ids.end(), id) - other_m.player_ids.begin());
    for (int k = 0; k < kPlayerProbabilities; ++k)
      rows.push_back(DeltaRow{"player", id, kPlayerProbabilityInfo[k].name, "share", "probability",
                              share_delta(base.flags(p), other.flags(q), flag_of(static_cast<PlayerProbability>(k)), n)});
    for (int c = 0; c < base_m.n_player_metrics(); ++c) {
      const PlayerColumn& col = base_m.player_columns[c];
      const auto it = std::find_if(other_m.player_columns.begin(), other_m.player_columns.end(),
                                   [&](const PlayerColumn& o) { return o.name == col.name; });
      if (it == other_m.player_columns.end()) continue;
      const float* a = base.metric(c, p);
      const float* b = other.metric(static_cast<int>(it - other_m.player_columns.begin()), q);
      rows.push_back(DeltaRow{"player", id, col.name, "mean", col.unit, mean_delta(a, b, n)});
      for (int level : kPercentiles) rows.push_back(DeltaRow{"player", id, col.name, "p" + std::to_string(level), col.unit, percentile_delta(a, b, n, level)});
    }
  }
  for (int r = 0; r < static_cast<int>(base_m.site_rows.size()); ++r) {
    const SiteRow& row = base_m.site_rows[r];
    const auto it = std::find_if(other_m.site_rows.begin(), other_m.site_rows.end(), [&](const SiteRow& o) { return o.id == row.id; });
    if (it == other_m.site_rows.end()) continue;
    const SiteRow& other_row = *it;
    const std::vector<float> a = site_row_ready(base_m, base, r);
    const std::vector<float> b = site_row_ready(other_m, other, static_cast<int>(it - other_m.site_rows.begin()));
    rows.push_back(DeltaRow{"site", row.id, "ready_month", "mean", "months", mean_delta(a.data(), b.data(), n)});
    for (int level : kPercentiles)
      rows.push_back(DeltaRow{"site", row.id, "ready_month", "p" + std::to_string(level), "months", percentile_delta(a.data(), b.data(), n, level)});
    std::vector<std::uint8_t> on_time_a(n), on_time_b(n);
    for (std::uint64_t i = 0; i < n; ++i) {
      on_time_a[i] = a[i] <= row.planned_ready_month;
      on_time_b[i] = b[i] <= other_row.planned_ready_month;
    }
    rows.push_back(DeltaRow{"site", row.id, "p_ready_by_plan", "share", "probability", share_delta(on_time_a.data(), on_time_b.data(), 1, n)});
  }
  return rows;
}

}  // namespace buildout
