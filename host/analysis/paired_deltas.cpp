#include "paired_deltas.hpp"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "host/config/config_error.hpp"
#include "host/metrics/aggregate.hpp"
#include "host/metrics/statistics.hpp"

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

const std::vector<double> kPercentiles = {10, 50, 90};

std::string percentile_label(double level) { return "p" + std::to_string(static_cast<int>(level)); }

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
  return percentile_deltas(base, other, n, {level}).front();
}

std::vector<Delta> percentile_deltas(const float* base, const float* other, std::uint64_t n, const std::vector<double>& levels) {
  const auto sorted = [](const float* x, std::uint64_t lo, std::uint64_t hi) {
    std::vector<float> v(x + lo, x + hi);
    std::sort(v.begin(), v.end());
    return v;
  };
  const std::vector<float> a = sorted(base, 0, n), b = sorted(other, 0, n);
  std::vector<Delta> out(levels.size());
  for (std::size_t l = 0; l < levels.size(); ++l) {
    Delta& r = out[l];
    r.base = percentile_of_sorted(a.data(), n, levels[l]);
    r.other = percentile_of_sorted(b.data(), n, levels[l]);
    r.delta = r.other - r.base;
    r.lo = -std::numeric_limits<double>::infinity();
    r.hi = std::numeric_limits<double>::infinity();
    r.se_paired = r.se_independent = std::numeric_limits<double>::infinity();
  }
  if (n < static_cast<std::uint64_t>(2 * kDeltaSections)) return out;
  // Per level, each section's percentile in both runs.
  std::vector<std::vector<double>> sa(levels.size(), std::vector<double>(kDeltaSections)), sb = sa;
  for (int k = 0; k < kDeltaSections; ++k) {
    const std::uint64_t lo = n * k / kDeltaSections, hi = n * (k + 1) / kDeltaSections;
    const std::vector<float> xa = sorted(base, lo, hi), xb = sorted(other, lo, hi);
    for (std::size_t l = 0; l < levels.size(); ++l) {
      sa[l][k] = percentile_of_sorted(xa.data(), xa.size(), levels[l]);
      sb[l][k] = percentile_of_sorted(xb.data(), xb.size(), levels[l]);
    }
  }
  const double t = boost::math::quantile(boost::math::students_t(kDeltaSections - 1), 0.975);
  for (std::size_t l = 0; l < levels.size(); ++l) {
    std::vector<double> d(kDeltaSections);
    for (int k = 0; k < kDeltaSections; ++k) d[k] = sb[l][k] - sa[l][k];
    double mean, var_a, var_b, var_d;
    mean_var(sa[l], mean, var_a);
    mean_var(sb[l], mean, var_b);
    mean_var(d, mean, var_d);
    Delta& r = out[l];
    r.se_paired = std::sqrt(var_d / kDeltaSections);
    r.se_independent = std::sqrt((var_a + var_b) / kDeltaSections);
    r.lo = r.delta - t * r.se_paired;
    r.hi = r.delta + t * r.se_paired;
  }
  return out;
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
  // One task per column both runs have; each fills its rows, then the rows are joined in task order.
  struct Task {
    std::string kind, id, metric, unit;
    const float *a, *b;
    std::vector<DeltaRow> rows;
  };
  std::vector<Task> tasks;
  for (int p = 0; p < base_m.n_players(); ++p) {
    const std::string& id = base_m.player_ids[p];
    const int q = static_cast<int>(std::find(other_m.player_ids.begin(), other_m.player_ids.end(), id) - other_m.player_ids.begin());
    for (int k = 0; k < kPlayerProbabilities; ++k)
      tasks.push_back(Task{"player", id, kPlayerProbabilityInfo[k].name, "probability", nullptr, nullptr,
                           {DeltaRow{"player", id, kPlayerProbabilityInfo[k].name, "share", "probability",
                                     share_delta(base.flags(p), other.flags(q), flag_of(static_cast<PlayerProbability>(k)), n)}}});
    for (int c = 0; c < base_m.n_player_metrics(); ++c) {
      const PlayerColumn& col = base_m.player_columns[c];
      const auto it = std::find_if(other_m.player_columns.begin(), other_m.player_columns.end(),
                                   [&](const PlayerColumn& o) { return o.name == col.name; });
      if (it == other_m.player_columns.end()) continue;
      tasks.push_back(Task{"player", id, col.name, col.unit, base.metric(c, p), other.metric(static_cast<int>(it - other_m.player_columns.begin()), q), {}});
    }
  }
  // Site rows' ready months, both runs, kept while the tasks read them (reserved: they do not move).
  std::vector<std::vector<float>> ready;
  ready.reserve(2 * base_m.site_rows.size());
  for (int r = 0; r < static_cast<int>(base_m.site_rows.size()); ++r) {
    const SiteRow& row = base_m.site_rows[r];
    const auto it = std::find_if(other_m.site_rows.begin(), other_m.site_rows.end(), [&](const SiteRow& o) { return o.id == row.id; });
    if (it == other_m.site_rows.end()) continue;
    ready.push_back(site_row_ready(base_m, base, r));
    ready.push_back(site_row_ready(other_m, other, static_cast<int>(it - other_m.site_rows.begin())));
    const std::vector<float>& a = ready[ready.size() - 2];
    const std::vector<float>& b = ready.back();
    std::vector<std::uint8_t> on_time_a(n), on_time_b(n);
    for (std::uint64_t i = 0; i < n; ++i) {
      on_time_a[i] = a[i] <= row.planned_ready_month;
      on_time_b[i] = b[i] <= it->planned_ready_month;
    }
    tasks.push_back(Task{"site", row.id, "ready_month", "months", a.data(), b.data(),
                         {DeltaRow{"site", row.id, "p_ready_by_plan", "share", "probability", share_delta(on_time_a.data(), on_time_b.data(), 1, n)}}});
  }
#pragma omp parallel for schedule(dynamic)
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    Task& task = tasks[t];
    if (!task.a) continue;  // a probability: its row is made
    std::vector<DeltaRow> rows{DeltaRow{task.kind, task.id, task.metric, "mean", task.unit, mean_delta(task.a, task.b, n)}};
    const std::vector<Delta> p = percentile_deltas(task.a, task.b, n, kPercentiles);
    for (std::size_t l = 0; l < p.size(); ++l) rows.push_back(DeltaRow{task.kind, task.id, task.metric, percentile_label(kPercentiles[l]), task.unit, p[l]});
    rows.insert(rows.end(), task.rows.begin(), task.rows.end());  // a site's on-time share after its ready month
    task.rows = std::move(rows);
  }
  std::vector<DeltaRow> out;
  for (auto& task : tasks) out.insert(out.end(), task.rows.begin(), task.rows.end());
  return out;
}

}  // namespace buildout
