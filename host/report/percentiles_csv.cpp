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
    for (size_t k = 0; k < p.metrics.size(); ++k) {
      const Summary& s = p.metrics[k];
      const std::string& name = results.player_columns[k].name;
      row(name, "mean", s.mean);
      row(name, "sd", s.sd);
      row(name, "se", s.se);
      for (size_t l = 0; l < kPercentileLevels.size(); ++l) row(name, percentile_name(kPercentileLevels[l]), s.percentiles[l]);
      if (k == kNpvUsdB) row(name, "cvar5", s.cvar5);
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
