#include "sensitivity.hpp"

#include <algorithm>
#include <cmath>

#include "host/metrics/statistics.hpp"

namespace buildout {
namespace {

constexpr double kLow = 0.10, kHigh = 0.90;

double npv_p50(const PathResults& r, int p) {
  std::vector<float> v(r.metric(kNpvUsdB, p), r.metric(kNpvUsdB, p) + r.paths);
  std::sort(v.begin(), v.end());
  return percentile_of_sorted(v.data(), v.size(), 50);
}

double p_npv_positive(const PathResults& r, int p) {
  std::uint64_t hits = 0;
  const std::uint8_t* f = r.flags(p);
  for (std::uint64_t i = 0; i < r.paths; ++i) hits += (f[i] & flag_of(kProbNpvPositive)) != 0;
  return static_cast<double>(hits) / r.paths;
}

}  // namespace

double TornadoBar::npv_swing() const { return std::fabs(npv_p50_high - npv_p50_low); }
double TornadoBar::p_swing() const { return std::fabs(p_high - p_low); }

TornadoResults tornado(const CompiledModel& m, const std::vector<InputGroup>& groups, const SimulateVariant& simulate_variant) {
  TornadoResults t;
  const PathResults base = simulate_variant(m);
  for (int p = 0; p < m.n_players(); ++p) {
    t.npv_p50.push_back(npv_p50(base, p));
    t.p_npv_positive.push_back(p_npv_positive(base, p));
  }
  std::vector<std::vector<TornadoBar>> per_player(m.n_players());
  for (const InputGroup& g : groups) {
    if (g.draws.empty()) continue;  // a common factor cannot be held at a quantile
    const PathResults low = simulate_variant(with_group_at(m, g, kLow));
    const PathResults high = simulate_variant(with_group_at(m, g, kHigh));
    for (int p = 0; p < m.n_players(); ++p)
      per_player[p].push_back(TornadoBar{m.player_ids[p], g.name, npv_p50(low, p), npv_p50(high, p), p_npv_positive(low, p), p_npv_positive(high, p)});
  }
  for (auto& bars : per_player) t.bars.insert(t.bars.end(), bars.begin(), bars.end());
  return t;
}

namespace {

// What Sobol's estimators read of a run: each player's NPV and flags (path-major per player).
struct NpvColumns {
  std::uint64_t paths = 0;
  std::vector<float> npv;            // [player * paths + path]
  std::vector<std::uint8_t> flags;   // likewise
  explicit NpvColumns(PathResults&& r)
      : paths(r.paths), npv(r.metric(kNpvUsdB, 0), r.metric(kNpvUsdB, 0) + r.n_players * r.paths), flags(std::move(r.player_flags)) {}
  double value(int p, std::uint64_t i, bool indicator) const {
    return indicator ? ((flags[p * paths + i] & flag_of(kProbNpvPositive)) ? 1.0 : 0.0) : npv[p * paths + i];
  }
};

}  // namespace

std::vector<SobolRow> sobol(const CompiledModel& m, const std::vector<InputGroup>& groups, const SimulateVariant& simulate_variant) {
  std::vector<const InputGroup*> all;
  for (const auto& g : groups) all.push_back(&g);
  const NpvColumns a(simulate_variant(m));
  const NpvColumns b(simulate_variant(with_groups_resampled(m, all)));
  std::vector<NpvColumns> ab;
  for (const auto& g : groups) ab.emplace_back(simulate_variant(with_groups_resampled(m, {&g})));

  const std::uint64_t n = a.paths;
  std::vector<SobolRow> rows;
  for (int p = 0; p < m.n_players(); ++p) {
    for (const char* output : {"npv_usd_b", "npv_positive"}) {
      const bool indicator = std::string(output) == "npv_positive";
      const auto values = [&](const NpvColumns& r) {
        std::vector<double> v(n);
        for (std::uint64_t i = 0; i < n; ++i) v[i] = r.value(p, i, indicator);
        return v;
      };
      const std::vector<double> fa = values(a), fb = values(b);
      std::vector<std::vector<double>> fab;
      for (const auto& r : ab) fab.push_back(values(r));
      SobolSample s{fa.data(), fb.data(), {}, n};
      for (const auto& v : fab) s.ab.push_back(v.data());
      const std::vector<SobolIndex> idx = sobol_indices(s, kSobolResamples, m.seed + 1000003ull * p + (indicator ? 1 : 0));
      for (std::size_t i = 0; i < groups.size(); ++i) rows.push_back(SobolRow{m.player_ids[p], output, groups[i].name, idx[i]});
    }
  }
  return rows;
}

}  // namespace buildout
