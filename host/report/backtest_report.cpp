#include "backtest_report.hpp"

#include <cstdio>
#include <sstream>

#include "reports.hpp"

namespace buildout {
namespace {

// A model value as the outcome is recorded: a month as its date, else the number.
std::string as_recorded(const BacktestRow& r, const YearMonth& valuation, double v) {
  if (r.outcome.dated) return month_to_date(valuation, v);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

}  // namespace

std::string render_backtest_csv(const YearMonth& valuation, const std::vector<BacktestRow>& rows) {
  std::ostringstream os;
  os << "outcome,subject,metric,recorded,model_p10,model_p50,model_p90,percentile,inside_p10_p90\n";
  for (const auto& r : rows) {
    const std::string subject = r.outcome.site.empty() ? r.outcome.player : r.outcome.site;
    os << csv_field(r.outcome.name) << ',' << subject << ',' << r.outcome.metric << ',' << r.recorded << ','
       << as_recorded(r, valuation, r.p10) << ',' << as_recorded(r, valuation, r.p50) << ',' << as_recorded(r, valuation, r.p90) << ','
       << format_number(r.percentile) << ',' << (r.inside_p10_p90 ? "yes" : "no") << '\n';
  }
  return os.str();
}

std::string render_backtest_md(const RunInfo& info, const std::vector<BacktestRow>& rows) {
  std::ostringstream os;
  int inside = 0;
  for (const auto& r : rows) inside += r.inside_p10_p90;
  os << "# Backtest\n\n" << info.paths << " paths, seed " << info.seed << ", config `" << info.config_source << "` (fnv1a64:"
     << info.config_hash << "), data date " << info.data_date.str() << ". Percentile: where the recorded outcome falls in the "
     << "model's distribution of it (mid-rank).\n\n"
     << "| Outcome | Recorded | Model P10 / P50 / P90 | Percentile | Inside P10-P90 |\n|---|---:|---:|---:|:---:|\n";
  for (const auto& r : rows) {
    char pct[16];
    std::snprintf(pct, sizeof pct, "%.0f%%", 100 * r.percentile);
    os << "| " << r.outcome.name << " | " << r.recorded << " | " << as_recorded(r, info.valuation, r.p10) << " / "
       << as_recorded(r, info.valuation, r.p50) << " / " << as_recorded(r, info.valuation, r.p90) << " | " << pct << " | "
       << (r.inside_p10_p90 ? "yes" : "no") << " |\n";
  }
  os << "\n" << inside << " of " << rows.size() << " outcomes inside P10-P90.\n";
  return os.str();
}

}  // namespace buildout
