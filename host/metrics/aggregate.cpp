#include "aggregate.hpp"

#include <omp.h>

#include <algorithm>
#include <cstring>

namespace buildout {

std::vector<float> site_row_ready(const CompiledModel& m, const PathResults& r, int row_index) {
  const SiteRow& row = m.site_rows[row_index];
  const std::uint64_t n = r.paths;
  std::vector<float> values(r.ready(row.units[0]), r.ready(row.units[0]) + n);
  for (size_t u = 1; u < row.units.size(); ++u) {
    const float* other = r.ready(row.units[u]);
    for (std::uint64_t i = 0; i < n; ++i)
      values[i] = row.combine == SiteRow::FirstPhase ? std::min(values[i], other[i]) : std::max(values[i], other[i]);
  }
  return values;
}

Results aggregate(const CompiledModel& m, const PathResults& r, int threads) {
  Results out;
  const std::uint64_t n = r.paths;
  const int P = m.n_players(), S = static_cast<int>(m.site_rows.size());
  out.players.resize(P);
  out.player_columns = m.player_columns;
  out.capex_window_labels = m.capex_window_labels;
  out.required_revenue_margin = m.required_revenue_margin;
  const int K = m.n_player_metrics();
  for (auto& p : out.players) p.metrics.resize(K);
  out.sites.resize(S);

  // One column per task; each sorts its own copy, so columns run in parallel.
  const int columns = K * P + S;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads > 0 ? threads : omp_get_num_procs())
  for (int c = 0; c < columns; ++c) {
    std::vector<float> values(n);
    if (c < K * P) {
      if (n) std::memcpy(values.data(), r.metric(c / P, c % P), n * sizeof(float));
    } else {
      values = site_row_ready(m, r, c - K * P);
    }
    if (c < K * P) {
      const int metric = c / P, p = c % P;
      out.players[p].metrics[metric] = summarize(values);
    } else {
      const int s = c - K * P;
      SiteResult& site = out.sites[s];
      site.planned_ready_month = m.site_rows[s].planned_ready_month;
      std::uint64_t on_time = 0;
      for (float v : values) on_time += v <= site.planned_ready_month;
      site.ready_by_plan = wilson(on_time, n);
      site.ready_month = summarize(values);
      for (float& v : values) v = static_cast<float>(v - site.planned_ready_month);
      site.slip_months = summarize(values);
    }
  }

  for (int p = 0; p < P; ++p) {
    PlayerResult& pr = out.players[p];
    pr.id = m.player_ids[p];
    pr.name = m.player_names[p];
    pr.entity = m.player_entities[p];
    pr.is_owner = m.players[p].is_owner != 0;
    pr.books = m.books[p];
    std::array<std::uint64_t, kPlayerProbabilities> hits{};
    const std::uint8_t* flags = r.flags(p);
    for (std::uint64_t i = 0; i < n; ++i)
      for (int k = 0; k < kPlayerProbabilities; ++k) hits[k] += (flags[i] >> k) & 1u;
    for (int k = 0; k < kPlayerProbabilities; ++k) pr.probabilities[k] = wilson(hits[k], n);
  }
  for (int s = 0; s < S; ++s) {
    const SiteRow& row = m.site_rows[s];
    SiteResult& site = out.sites[s];
    site.id = row.id;
    site.name = row.name;
    site.player = m.player_ids[row.player];
    if (row.combine != SiteRow::Unit) continue;  // criticality is a unit's: its own network
    const int u = row.units[0];
    for (size_t a = 0; a < m.activity_ids[u].size(); ++a)
      site.criticality.push_back({m.activity_ids[u][a], n ? static_cast<double>(r.critical_counts[u][a]) / n : 0.0});
  }
  return out;
}

}  // namespace buildout
