#include <cmath>
#include <sstream>

#include "analysis_reports.hpp"
#include "reports.hpp"

namespace buildout {
namespace {

const DeltaRow* find_row(const std::vector<DeltaRow>& rows, const std::string& kind, const std::string& id, const std::string& metric,
                         const std::string& statistic) {
  for (const auto& r : rows)
    if (r.kind == kind && r.id == id && r.metric == metric && r.statistic == statistic) return &r;
  return nullptr;
}

std::string signed_fixed(double v, int digits) { return (v >= 0 ? "+" : "") + format_fixed(v, digits); }

// "+1.2 [+0.8, +1.6]", scaled (100 for shares in points).
std::string delta_with_interval(const Delta& d, double scale, int digits) {
  return signed_fixed(scale * d.delta, digits) + " [" + signed_fixed(scale * d.lo, digits) + ", " + signed_fixed(scale * d.hi, digits) + "]";
}

// A config path as a CSV field: quoted when it holds a comma or a quote.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string reduction(const Delta& d) {
  const double vr = d.variance_reduction();
  return std::isfinite(vr) ? format_fixed(vr, 1) + "×" : "identical paths";
}

}  // namespace

std::string render_deltas_csv(const std::vector<ScenarioDeltas>& scenarios) {
  std::ostringstream os;
  os << "scenario,kind,id,metric,statistic,unit,base,other,delta,delta_lo,delta_hi,se_paired,se_independent,variance_reduction\n";
  for (const auto& s : scenarios)
    for (const auto& r : s.rows) {
      const Delta& d = r.d;
      os << csv_field(s.scenario) << ',' << r.kind << ',' << r.id << ',' << r.metric << ',' << r.statistic << ',' << r.unit << ',' << format_number(d.base) << ','
         << format_number(d.other) << ',' << format_number(d.delta) << ',' << format_number(d.lo) << ',' << format_number(d.hi) << ','
         << format_number(d.se_paired) << ',' << format_number(d.se_independent) << ',' << format_number(d.variance_reduction()) << '\n';
    }
  return os.str();
}

std::string render_compare_md(const ComparisonInfo& info, const std::vector<ScenarioDeltas>& scenarios) {
  std::ostringstream os;
  os << "# Scenario comparison\n\nAgainst `" << info.base << "`: " << info.paths << " paths, seed " << info.seed
     << ", on common random numbers (each input's random numbers are keyed by its config path, so an input both configs have "
        "gets the same numbers on the same path). Deltas are other − base with 95% intervals; the variance reduction is how "
        "many times more paths two independent runs would need for the same interval. Money in $B, probabilities in points.\n";
  for (const auto& s : scenarios) {
    os << "\n## `" << s.scenario << "`\n\n"
       << "| Player | P(NPV > 0) base → other | Δ points [95% CI] | NPV P50 Δ [95% CI] | NPV mean Δ [95% CI] | Variance reduction: P(NPV > 0), NPV mean |\n"
       << "|---|---:|---:|---:|---:|---:|\n";
    for (std::size_t p = 0; p < info.player_ids.size(); ++p) {
      const std::string& id = info.player_ids[p];
      const DeltaRow* share = find_row(s.rows, "player", id, "p_npv_positive", "share");
      const DeltaRow* p50 = find_row(s.rows, "player", id, "npv_usd_b", "p50");
      const DeltaRow* mean = find_row(s.rows, "player", id, "npv_usd_b", "mean");
      if (!share || !p50 || !mean) continue;
      os << "| " << info.player_names[p] << " | " << format_fixed(100 * share->d.base, 1) << "% → " << format_fixed(100 * share->d.other, 1)
         << "% | " << delta_with_interval(share->d, 100, 1) << " | " << delta_with_interval(p50->d, 1, 1) << " | "
         << delta_with_interval(mean->d, 1, 1) << " | " << reduction(share->d) << ", " << reduction(mean->d) << " |\n";
    }
    bool header = false;
    for (const auto& r : s.rows) {
      if (r.kind != "site" || r.metric != "ready_month" || r.statistic != "p50") continue;
      const DeltaRow* on_time = find_row(s.rows, "site", r.id, "p_ready_by_plan", "share");
      if (r.d.delta == 0 && (!on_time || on_time->d.delta == 0)) continue;
      if (!header) {
        os << "\nSites whose ready date moved:\n\n| Site | Ready P50 base → other (months) | Δ months [95% CI] | P(ready by plan) Δ points [95% CI] |\n"
           << "|---|---:|---:|---:|\n";
        header = true;
      }
      os << "| " << r.id << " | " << format_fixed(r.d.base, 1) << " → " << format_fixed(r.d.other, 1) << " | " << delta_with_interval(r.d, 1, 1)
         << " | " << (on_time ? delta_with_interval(on_time->d, 100, 1) : std::string("–")) << " |\n";
    }
    if (!header) os << "\nNo site's ready date moved.\n";
  }
  return os.str();
}

}  // namespace buildout
