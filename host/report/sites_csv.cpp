#include <sstream>

#include "reports.hpp"

namespace buildout {

std::string render_sites_csv(const RunInfo& info, const Results& results) {
  std::ostringstream os;
  os << "site,player,activity,metric,statistic,value,date\n";
  for (const auto& s : results.sites) {
    const auto row = [&](const std::string& activity, const char* metric, const std::string& stat, double v, const std::string& date) {
      os << s.id << ',' << s.player << ',' << activity << ',' << metric << ',' << stat << ',' << format_number(v) << ',' << date << '\n';
    };
    row("", "planned_ready_month", "value", s.planned_ready_month, month_to_date(info.start, s.planned_ready_month));
    const auto summary = [&](const char* metric, const Summary& x, bool dated) {
      row("", metric, "mean", x.mean, "");
      for (size_t l = 0; l < kPercentileLevels.size(); ++l)
        row("", metric, percentile_name(kPercentileLevels[l]), x.percentiles[l], dated ? month_to_date(info.start, x.percentiles[l]) : "");
    };
    summary("ready_month", s.ready_month, true);
    summary("slip_months", s.slip_months, false);
    row("", "p_ready_by_plan", "estimate", s.ready_by_plan.p, "");
    row("", "p_ready_by_plan", "wilson_lo", s.ready_by_plan.lo, "");
    row("", "p_ready_by_plan", "wilson_hi", s.ready_by_plan.hi, "");
    for (const auto& a : s.criticality) row(a.id, "criticality_index", "share", a.index, "");
  }
  return os.str();
}

}  // namespace buildout
