#include <cmath>
#include <cstdio>
#include <sstream>

#include "reports.hpp"

namespace buildout {
namespace {

std::string fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

std::string render_headline_md(const RunInfo& info, const Results& results) {
  const double H = info.horizon_months;
  const std::string horizon_end = month_to_date(info.start, H - 1);
  // A censored percentile (at the horizon) reads as "after" the horizon's last month.
  const auto release = [&](double m) { return m >= H ? "none by " + horizon_end : month_to_date(info.start, m); };
  const auto payback = [&](double m) { return m >= H ? "> " + fixed(H, 0) + " mo" : fixed(m, 0) + " mo"; };

  std::ostringstream os;
  os << "# Buildout headline\n\n"
     << "Does each player's " << results.headline_capex_label << " AI capex pay back? " << info.paths << " paths, seed " << info.seed << ", config `"
     << info.config_source << "` (fnv1a64:" << info.config_hash << "), valuation " << info.start.str() << ", horizon to "
     << horizon_end << ". Money in $B.\n\n"
     << "| Player | Capex " << results.headline_capex_label << " P50 | P(NPV > 0) [95% CI] | NPV P5 / P50 / P95 | ROI P50 | Payback P50 | First release P50 / P80 |\n"
     << "|---|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& p : results.players) {
    const auto& npv = p.metrics[kNpvUsdB];
    const auto& rel = p.metrics[kFirstReleaseMonth];
    const Proportion& npv_positive = p.probabilities[kProbNpvPositive];
    os << "| " << p.name << " | " << fixed(p.metrics[kFixedPlayerMetrics].percentile(50), 1) << " | "
       << fixed(100 * npv_positive.p, 1) << "% [" << fixed(100 * npv_positive.lo, 1) << ", " << fixed(100 * npv_positive.hi, 1) << "] | "
       << fixed(npv.percentile(5), 1) << " / " << fixed(npv.percentile(50), 1) << " / " << fixed(npv.percentile(95), 1) << " | "
       << fixed(p.metrics[kRoi].percentile(50), 2) << " | " << payback(p.metrics[kPaybackMonths].percentile(50)) << " | "
       << release(rel.percentile(50)) << " / " << release(rel.percentile(80)) << " |\n";
  }
  os << "\nCapex: spent in " << results.headline_capex_label << " on the modelled sites (facilities owned, accelerators). NPV at each player's WACC "
        "with book value at the horizon. ROI: undiscounted net cash plus residual over capex. Payback: months from "
     << info.start.str() << " until cumulative net cash turns positive.\n";
  return os.str();
}

}  // namespace buildout
