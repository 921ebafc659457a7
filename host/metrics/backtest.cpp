#include "backtest.hpp"

#include <algorithm>
#include <cstdio>

#include "host/config/config_error.hpp"
#include "aggregate.hpp"
#include "statistics.hpp"

namespace buildout {
namespace {

// Share of values below x, and at or below it.
std::pair<double, double> shares(const std::vector<float>& v, double x) {
  std::uint64_t below = 0, at = 0;
  for (float f : v) {
    below += f < x;
    at += f <= x;
  }
  return {static_cast<double>(below) / v.size(), static_cast<double>(at) / v.size()};
}

template <class T>
int index_of(const std::vector<T>& items, const std::string& id) {
  for (size_t i = 0; i < items.size(); ++i)
    if (items[i] == id) return static_cast<int>(i);
  return -1;
}

// Where an outcome's values come from: a row of sites.csv, or a player's column (scaled by
// its AI share for a reported figure).
struct OutcomeSource {
  int site_row = -1, player = -1, column = -1;
  double scale = 1.0;
};

OutcomeSource resolve(const CompiledModel& m, const Outcome& o) {
  const auto refuse = [&](const std::string& why) { return ConfigError(o.at + ": outcomes: \"" + o.name + "\": " + why); };
  OutcomeSource src;
  if (!o.site.empty()) {
    std::vector<std::string> row_ids;
    for (const auto& row : m.site_rows) row_ids.push_back(row.id);
    src.site_row = index_of(row_ids, o.site);
    if (src.site_row < 0) throw refuse("no site row \"" + o.site + "\" in the config (sites.csv names its rows)");
    return src;
  }
  std::vector<std::string> columns;
  for (const auto& c : m.player_columns) columns.push_back(c.name);
  src.player = index_of(m.player_ids, o.player);
  src.column = index_of(columns, o.metric);
  if (src.player < 0) throw refuse("no player \"" + o.player + "\" in the config");
  if (src.column < 0) throw refuse("no metric \"" + o.metric + "\" (percentiles.csv names the columns)");
  if (o.times_ai_share) {
    if (!m.books[src.player].present) throw refuse("reported_usd_b needs a programme with an AI share for " + o.player);
    src.scale = m.books[src.player].ai_share;
  }
  return src;
}

}  // namespace

void check_outcomes(const CompiledModel& m, const std::vector<Outcome>& outcomes) {
  for (const Outcome& o : outcomes) resolve(m, o);
}

std::vector<BacktestRow> backtest(const CompiledModel& m, const PathResults& r, const std::vector<Outcome>& outcomes) {
  std::vector<BacktestRow> out;
  for (const Outcome& o : outcomes) {
    const OutcomeSource src = resolve(m, o);
    std::vector<float> values;
    const double scale = src.scale;
    if (src.site_row >= 0) values = site_row_ready(m, r, src.site_row);
    else values.assign(r.metric(src.column, src.player), r.metric(src.column, src.player) + r.paths);
    BacktestRow row{o, "", 0.0, false, 0, 0, 0};
    char buf[32];
    if (o.dated) {
      const double lo = o.date.index() - m.valuation.index();
      row.percentile = 0.5 * (shares(values, lo).first + shares(values, lo + 1).first);
      row.recorded = o.date.str();
    } else {
      const float x = static_cast<float>(o.value * scale);  // at the results' precision, so an actual lands on itself
      const auto [below, at] = shares(values, x);
      row.percentile = 0.5 * (below + at);
      std::snprintf(buf, sizeof buf, "%.4g", static_cast<double>(x));
      row.recorded = buf;
    }
    row.inside_p10_p90 = row.percentile >= 0.10 && row.percentile <= 0.90;
    std::sort(values.begin(), values.end());
    row.p10 = percentile_of_sorted(values.data(), values.size(), 10);
    row.p50 = percentile_of_sorted(values.data(), values.size(), 50);
    row.p90 = percentile_of_sorted(values.data(), values.size(), 90);
    out.push_back(row);
  }
  return out;
}

}  // namespace buildout
