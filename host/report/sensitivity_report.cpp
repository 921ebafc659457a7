#include <algorithm>
#include <map>
#include <sstream>

#include "analysis_reports.hpp"
#include "reports.hpp"

namespace buildout {
namespace {

const SobolRow* sobol_row(const std::vector<SobolRow>& rows, const std::string& player, const std::string& output, const std::string& group) {
  for (const auto& r : rows)
    if (r.player == player && r.output == output && r.group == group) return &r;
  return nullptr;
}

const TornadoBar* tornado_bar(const TornadoResults& t, const std::string& player, const std::string& group) {
  for (const auto& b : t.bars)
    if (b.player == player && b.group == group) return &b;
  return nullptr;
}

std::string interval(double v, double lo, double hi) {
  return format_fixed(v, 2) + " [" + format_fixed(lo, 2) + ", " + format_fixed(hi, 2) + "]";
}

}  // namespace

std::string render_tornado_csv(const TornadoResults& t) {
  std::ostringstream os;
  os << "player,group,npv_p50_base,npv_p50_low,npv_p50_high,npv_p50_swing,p_npv_positive_base,p_npv_positive_low,p_npv_positive_high,"
        "p_npv_positive_swing\n";
  std::map<std::string, std::size_t> player_index;
  for (const auto& b : t.bars) player_index.emplace(b.player, player_index.size());
  for (const auto& b : t.bars) {
    const std::size_t p = player_index[b.player];
    os << b.player << ',' << b.group << ',' << format_number(t.npv_p50[p]) << ',' << format_number(b.npv_p50_low) << ','
       << format_number(b.npv_p50_high) << ',' << format_number(b.npv_swing()) << ',' << format_number(t.p_npv_positive[p]) << ','
       << format_number(b.p_low) << ',' << format_number(b.p_high) << ',' << format_number(b.p_swing()) << '\n';
  }
  return os.str();
}

std::string render_sobol_csv(const std::vector<SobolRow>& rows) {
  std::ostringstream os;
  os << "player,output,group,first_order,first_order_lo,first_order_hi,total,total_lo,total_hi\n";
  for (const auto& r : rows) {
    const SobolIndex& s = r.index;
    os << r.player << ',' << r.output << ',' << r.group << ',' << format_number(s.first) << ',' << format_number(s.first_lo) << ','
       << format_number(s.first_hi) << ',' << format_number(s.total) << ',' << format_number(s.total_lo) << ',' << format_number(s.total_hi) << '\n';
  }
  return os.str();
}

std::string render_sensitivity_md(const SensitivityInfo& info, const TornadoResults* tornado, const std::vector<SobolRow>* sobol) {
  std::ostringstream os;
  os << "# Sensitivity\n\nConfig `" << info.config << "`: " << info.paths << " paths per run, seed " << info.seed << ", " << info.runs
     << " runs on common random numbers. Input groups: ";
  for (std::size_t g = 0; g < info.groups.size(); ++g) os << (g ? ", " : "") << info.groups[g];
  os << ".\n\n";
  if (sobol)
    os << "Drivers are ranked by the Sobol total index of NPV: the share of NPV's variance that goes if the group's inputs are "
          "known (first order: the share the group explains alone). 95% bootstrap intervals in brackets.";
  else
    os << "Drivers are ranked by the tornado swing of NPV P50.";
  if (tornado)
    os << " The tornado holds every input of a group at its P10, then at its P90 (the common factors stay random), the other "
          "inputs random on the same paths.";
  os << " Money in $B.\n";
  for (std::size_t p = 0; p < info.player_ids.size(); ++p) {
    const std::string& id = info.player_ids[p];
    std::vector<std::string> order = info.groups;
    const auto key = [&](const std::string& g) {
      if (sobol) {
        const SobolRow* r = sobol_row(*sobol, id, "npv_usd_b", g);
        return r ? r->index.total : 0.0;
      }
      const TornadoBar* b = tornado ? tornado_bar(*tornado, id, g) : nullptr;
      return b ? b->npv_swing() : 0.0;
    };
    std::stable_sort(order.begin(), order.end(), [&](const std::string& a, const std::string& b) { return key(a) > key(b); });
    os << "\n## " << info.player_names[p] << "\n\n| Rank | Group |";
    if (sobol) os << " NPV total index | NPV first order | P(NPV > 0) total index |";
    if (tornado) os << " NPV P50 at P10 → P90 | P(NPV > 0) at P10 → P90 |";
    os << "\n|---:|---|";
    if (sobol) os << "---:|---:|---:|";
    if (tornado) os << "---:|---:|";
    os << "\n";
    if (tornado) {
      os << "| | every input random |";
      if (sobol) os << " | | |";
      os << " " << format_fixed(tornado->npv_p50[p], 1) << " | " << format_fixed(100 * tornado->p_npv_positive[p], 1) << "% |\n";
    }
    const std::size_t shown = std::min<std::size_t>(5, order.size());
    for (std::size_t k = 0; k < shown; ++k) {
      const std::string& g = order[k];
      os << "| " << k + 1 << " | " << g << " |";
      if (sobol) {
        const SobolRow* npv = sobol_row(*sobol, id, "npv_usd_b", g);
        const SobolRow* pos = sobol_row(*sobol, id, "npv_positive", g);
        os << " " << (npv ? interval(npv->index.total, npv->index.total_lo, npv->index.total_hi) : "–") << " | "
           << (npv ? interval(npv->index.first, npv->index.first_lo, npv->index.first_hi) : "–") << " | "
           << (pos ? interval(pos->index.total, pos->index.total_lo, pos->index.total_hi) : "–") << " |";
      }
      if (tornado) {
        const TornadoBar* b = tornado_bar(*tornado, id, g);
        if (b)
          os << " " << format_fixed(b->npv_p50_low, 1) << " → " << format_fixed(b->npv_p50_high, 1) << " | " << format_fixed(100 * b->p_low, 1)
             << "% → " << format_fixed(100 * b->p_high, 1) << "% |";
        else
          os << " – (not held) | – |";
      }
      os << "\n";
    }
  }
  return os.str();
}

}  // namespace buildout
