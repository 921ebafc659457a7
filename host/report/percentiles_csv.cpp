#include <sstream>

#include "reports.hpp"

namespace buildout {

std::string render_percentiles_csv(const Results& results) {
  std::ostringstream os;
  os << "player,metric,statistic,value\n";
  for (const auto& p : results.players) {
    const auto row = [&](const std::string& metric, const std::string& stat, double v) {
      os << p.id << ',' << metric << ',' << stat << ',' << format_number(v) << '\n';
    };
    for (int k = 0; k < kPlayerMetrics; ++k) {
      const Summary& s = p.metrics[k];
      row(kPlayerMetricInfo[k].name, "mean", s.mean);
      row(kPlayerMetricInfo[k].name, "sd", s.sd);
      row(kPlayerMetricInfo[k].name, "se", s.se);
      for (size_t l = 0; l < kPercentileLevels.size(); ++l) row(kPlayerMetricInfo[k].name, percentile_name(kPercentileLevels[l]), s.percentiles[l]);
      if (k == kNpvUsdB) row(kPlayerMetricInfo[k].name, "cvar5", s.cvar5);
    }
    for (int k = 0; k < kPlayerProbabilities; ++k) {
      const Proportion& q = p.probabilities[k];
      row(kPlayerProbabilityInfo[k].name, "estimate", q.p);
      row(kPlayerProbabilityInfo[k].name, "wilson_lo", q.lo);
      row(kPlayerProbabilityInfo[k].name, "wilson_hi", q.hi);
    }
  }
  return os.str();
}

}  // namespace buildout
