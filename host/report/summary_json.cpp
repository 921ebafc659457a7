#include <nlohmann/json.hpp>

#include "reports.hpp"

namespace buildout {
namespace {

using nlohmann::ordered_json;

ordered_json summary_json(const Summary& s, bool with_cvar) {
  ordered_json j;
  j["mean"] = s.mean;
  j["sd"] = s.sd;
  j["se"] = s.se;
  for (size_t k = 0; k < kPercentileLevels.size(); ++k) j[percentile_name(kPercentileLevels[k])] = s.percentiles[k];
  if (with_cvar) j["cvar5"] = s.cvar5;
  return j;
}

ordered_json proportion_json(const Proportion& p) {
  return ordered_json{{"estimate", p.p}, {"wilson_lo", p.lo}, {"wilson_hi", p.hi}, {"hits", p.hits}, {"n", p.n}};
}

// The books each capex column is held to: its window's reported or guided
// capex, and that times the AI share beside the modelled P50.
ordered_json programme_json(const ProgrammeBooks& b, const Results& results) {
  ordered_json windows = ordered_json::array();
  for (size_t w = 0; w < b.windows.size(); ++w) {
    const BooksFigure& f = b.windows[w];
    if (f.kind.empty()) continue;
    windows.push_back(ordered_json{{"metric", results.player_columns[kFixedPlayerMetrics + w].name},
                                   {"books", f.kind},
                                   {"total_usd_b", {f.total_lo, f.total_hi}},
                                   {"ai_usd_b", {f.ai_lo, f.ai_hi}}});
  }
  return ordered_json{{"ai_share", b.ai_share}, {"capex_basis", b.capex_basis}, {"books", windows}};
}

}  // namespace

std::string render_summary_json(const RunInfo& info, const Results& results) {
  ordered_json root;
  root["run"] = ordered_json{{"version", info.version},
                             {"config", info.config_source},
                             {"config_hash", "fnv1a64:" + info.config_hash},
                             {"seed", info.seed},
                             {"paths", info.paths},
                             {"sampler", info.sampler},
                             {"backend", info.backend},
                             {"device", info.device},
                             {"threads", info.threads},
                             {"batch", info.batch},
                             {"valuation", info.valuation.str()},
                             {"data_date", info.data_date.str()},
                             {"horizon_months", info.horizon_months},
                             {"random_numbers_per_path", info.random_numbers_per_path},
                             {"memory_estimate_bytes", info.memory_estimate_bytes},
                             {"peak_rss_bytes", info.peak_rss_bytes},
                             {"aggregation", info.aggregation},
                             {"passes", info.passes},
                             {"ranks", info.ranks},
                             {"wall_time_s", info.wall_s},
                             {"simulate_time_s", info.simulate_s},
                             {"aggregate_time_s", info.aggregate_s},
                             {"paths_per_s", info.paths_per_s},
                             {"stopped_by", info.stopped_by}};
  // Only a run with --target-se has one: every field of summary.json is a value.
  if (!info.target_stat.empty())
    root["run"]["target_se"] = ordered_json{
        {"statistic", info.target_stat}, {"target", info.target_se}, {"widest_se", info.achieved_se}, {"paths_asked", info.paths_asked}};
  ordered_json players = ordered_json::array();
  for (const auto& p : results.players) {
    ordered_json metrics;
    for (size_t k = 0; k < p.metrics.size(); ++k) metrics[results.player_columns[k].name] = summary_json(p.metrics[k], k == kNpvUsdB);
    ordered_json probabilities;
    for (int k = 0; k < kPlayerProbabilities; ++k) probabilities[kPlayerProbabilityInfo[k].name] = proportion_json(p.probabilities[k]);
    ordered_json player{{"id", p.id}, {"name", p.name}, {"kind", p.is_owner ? "owner" : "player"}, {"entity", p.entity},
                        {"metrics", metrics}, {"probabilities", probabilities}};
    if (p.books.present) player["programme"] = programme_json(p.books, results);
    players.push_back(player);
  }
  root["players"] = players;
  ordered_json sites = ordered_json::array();
  for (const auto& s : results.sites) {
    ordered_json dates, crit = ordered_json::object();  // a phased site's first-phase and full-site rows have none
    for (double level : {10.0, 50.0, 80.0, 90.0}) dates[percentile_name(level)] = month_to_date(info.valuation, s.ready_month.percentile(level));
    for (const auto& a : s.criticality) crit[a.id] = a.index;
    sites.push_back(ordered_json{{"id", s.id},
                                 {"name", s.name},
                                 {"player", s.player},
                                 {"planned_ready", month_to_date(info.valuation, s.planned_ready_month)},
                                 {"ready_date", dates},
                                 {kSiteMetricInfo[kReadyMonth].name, summary_json(s.ready_month, false)},
                                 {kSiteMetricInfo[kSlipMonths].name, summary_json(s.slip_months, false)},
                                 {kSiteMetricInfo[kReadyByPlan].name, proportion_json(s.ready_by_plan)},
                                 {kSiteMetricInfo[kCriticalityIndex].name, crit}});
  }
  root["sites"] = sites;
  return root.dump(2) + "\n";
}

}  // namespace buildout
