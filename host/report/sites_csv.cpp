#include <sstream>

#include "reports.hpp"

namespace buildout {

std::string render_sites_csv(const RunInfo& info, const Results& results) {
  std::ostringstream os;
  os << "site,player,activity,metric,statistic,value,date\n";
  for (const auto& s : results.sites) {
    const auto row = [&](const std::string& activity, SiteMetric metric, const std::string& stat, double v, const std::string& date) {
      os << s.id << ',' << s.player << ',' << activity << ',' << kSiteMetricInfo[metric].name << ',' << stat << ','
         << format_number(v) << ',' << date << '\n';
    };
    row("", kPlannedReadyMonth, "value", s.planned_ready_month, month_to_date(info.valuation, s.planned_ready_month));
    const auto summary = [&](SiteMetric metric, const Summary& x, bool dated) {
      row("", metric, "mean", x.mean, "");
      for (size_t l = 0; l < kPercentileLevels.size(); ++l)
        row("", metric, percentile_name(kPercentileLevels[l]), x.percentiles[l], dated ? month_to_date(info.valuation, x.percentiles[l]) : "");
    };
    summary(kReadyMonth, s.ready_month, true);
    summary(kSlipMonths, s.slip_months, false);
    row("", kReadyByPlan, "estimate", s.ready_by_plan.p, "");
    row("", kReadyByPlan, "wilson_lo", s.ready_by_plan.lo, "");
    row("", kReadyByPlan, "wilson_hi", s.ready_by_plan.hi, "");
    for (const auto& a : s.criticality) row(a.id, kCriticalityIndex, "share", a.index, "");
  }
  return os.str();
}

}  // namespace buildout
