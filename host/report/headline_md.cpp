#include <cmath>
#include <sstream>

#include "reports.hpp"

namespace buildout {
std::string render_headline_md(const RunInfo& info, const Results& results) {
  const double H = info.horizon_months;
  const std::string horizon_end = month_to_date(info.valuation, H - 1);
  // A censored percentile (at the horizon) reads as "after" the horizon's last month.
  const auto release = [&](double m) { return m >= H ? "none by " + horizon_end : month_to_date(info.valuation, m); };
  const auto payback = [&](double m) { return m >= H ? "> " + format_fixed(H, 0) + " mo" : format_fixed(m, 0) + " mo"; };
  const auto books = [](const BooksFigure& f) {
    if (f.kind.empty()) return std::string();
    // At the per-path results' precision (float), so that an actual prints as its modelled P50 does.
    const auto at = [](double v) { return format_fixed(static_cast<float>(v), 1); };
    const std::string figure = f.ai_lo == f.ai_hi ? at(f.ai_lo) : at(f.ai_lo) + "-" + at(f.ai_hi);
    return " (" + f.kind + " " + figure + ")";
  };
  const auto& windows = results.capex_window_labels;
  std::string spans;
  for (size_t w = 0; w < windows.size(); ++w) spans += (w == 0 ? "" : w + 1 == windows.size() ? " and " : ", ") + windows[w];

  std::ostringstream os;
  os << "# Buildout headline\n\n"
     << "Does each player's AI capex of " << spans << " pay back? " << info.paths << " paths, seed " << info.seed << ", config `"
     << info.config_source << "` (fnv1a64:" << info.config_hash << "), valuation " << info.valuation.str() << ", data date "
     << info.data_date.str() << ", horizon to " << horizon_end << ". Money in $B."
     << (info.sampler == "sobol" ? " Quasi-Monte Carlo: scrambled Sobol' points (the intervals below assume independent paths and "
                                   "overstate its error; rerun with other seeds to measure it)."
                                 : "")
     << "\n\n| Player |";
  for (const auto& w : windows) os << " Capex " << w << " P50 (books) |";
  os << " P(NPV > 0) [95% CI] | NPV P5 / P50 / P95 | Required revenue P50 ($B/yr) | P(revenue >= required) | ROI P50 | Payback P50 | First release P50 / P80 |\n|---|";
  for (size_t w = 0; w < windows.size(); ++w) os << "---:|";
  os << "---:|---:|---:|---:|---:|---:|---:|\n";
  const auto proportion = [](const Proportion& p) {
    return format_fixed(100 * p.p, 1) + "% [" + format_fixed(100 * p.lo, 1) + ", " + format_fixed(100 * p.hi, 1) + "]";
  };
  for (const auto& p : results.players) {
    const auto& npv = p.metrics[kNpvUsdB];
    const auto& rel = p.metrics[kFirstReleaseMonth];
    os << "| " << p.name << (p.is_owner ? " (owner)" : "") << " |";
    for (size_t w = 0; w < windows.size(); ++w)
      os << " " << format_fixed(p.metrics[kFixedPlayerMetrics + w].percentile(50), 1) << (p.books.present ? books(p.books.windows[w]) : "") << " |";
    os << " " << proportion(p.probabilities[kProbNpvPositive]) << " | " << format_fixed(npv.percentile(5), 1) << " / "
       << format_fixed(npv.percentile(50), 1) << " / " << format_fixed(npv.percentile(95), 1) << " | ";
    // An owner's revenue is mostly contracted, and it releases no models: those columns do not apply.
    if (p.is_owner)
      os << "– | – | ";
    else
      os << format_fixed(p.metrics[kRequiredRevenueUsdB].percentile(50), 1) << " | " << proportion(p.probabilities[kProbRevenueAboveRequired]) << " | ";
    os << format_fixed(p.metrics[kRoi].percentile(50), 2) << " | " << payback(p.metrics[kPaybackMonths].percentile(50)) << " | "
       << (p.is_owner ? "–" : release(rel.percentile(50)) + " / " + release(rel.percentile(80))) << " |\n";
  }
  os << "\nCapex: spent in each window on the named sites (facilities owned, accelerators) and the programme's fleet. Books: the "
        "reported actual or the guided range, times the programme's AI share (summary.json gives each share and capex basis). "
        "NPV at each player's WACC with book value at the horizon. Required revenue: the level annual revenue at full capacity "
        "that makes NPV zero while keeping "
     << format_fixed(100 * results.required_revenue_margin, 0)
     << "% of revenue as margin; P(revenue >= required): the path's revenue, as a level figure of equal present value, meets it. "
        "ROI: undiscounted net cash plus residual over capex. Payback: months from "
     << info.valuation.str() << " until cumulative net cash turns positive.\n";
  // What each row stands for, where the config says.
  std::string rows;
  for (const auto& p : results.players)
    if (!p.entity.empty()) rows += "- " + p.name + (p.is_owner ? " (owner)" : "") + ": " + p.entity + ".\n";
  if (!rows.empty()) os << "\nRows:\n\n" << rows;
  // The customers' ceiling, named where it binds: its revenue is already left out of the table's figures.
  std::string capped;
  for (const auto& p : results.players) {
    const Proportion& binds = p.probabilities[kProbRevenueCapped];
    if (binds.p == 0) continue;
    const auto& over = p.metrics[kRevenueOverCeilingUsdB];
    capped += std::string(capped.empty() ? "" : "; ") + p.name + " on " + proportion(binds) + " of paths, $" + format_fixed(over.percentile(50), 1) +
              "B (P50) / $" + format_fixed(over.percentile(90), 1) + "B (P90) above it over the horizon";
  }
  if (!capped.empty())
    os << "\nRevenue capped at what customers can pay ([players.<id>.customers]; the table counts only what is paid): " << capped
       << ".\n";
  if (!info.target_stat.empty()) {
    const std::string se = format_number(info.achieved_se), target = format_number(info.target_se);
    if (info.stopped_by == "target_se")
      os << "\nStopped by --target-se at " << info.paths << " of " << info.paths_asked << " paths: the widest standard error of "
         << info.target_stat << " over the rows is " << se << ", at or below the target " << target << ".\n";
    else
      os << "\nStopped at --paths (" << info.paths << "): the widest standard error of " << info.target_stat << " over the rows is "
         << se << ", above the target " << target << "; more paths would be needed to meet it.\n";
  }
  return os.str();
}

}  // namespace buildout
