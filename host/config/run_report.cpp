// [run]: the valuation and data dates, horizon, paths and seed; [report]: the
// calendar metrics.
#include <cstdint>

#include "host/config/parse_context.hpp"
#include "host/config/toml_input.hpp"
#include "host/config/value_bounds.hpp"
#include "kernels/limits.hpp"

namespace buildout {

namespace {

using namespace bounds;

// [["YYYY-MM", "YYYY-MM"], ...]: first and last month of each calendar window.
std::vector<std::pair<YearMonth, YearMonth>> windows(const ParseContext& ctx, const toml::node& w, const std::string& path) {
  const auto* list = w.as_array();
  if (!list || list->empty() || list->size() > kMaxCapexWindows)
    ctx.fail(w, path, "expected 1 to kMaxCapexWindows = " + std::to_string(kMaxCapexWindows) +
                         " windows [\"YYYY-MM\", \"YYYY-MM\"] (first and last month)");
  std::vector<std::pair<YearMonth, YearMonth>> out;
  for (const auto& e : *list) {
    const auto* pair = e.as_array();
    if (!pair || pair->size() != 2) ctx.fail(e, path, "expected [\"YYYY-MM\", \"YYYY-MM\"] (first and last month)");
    const YearMonth first = date_node(ctx.sources, (*pair)[0], path), last = date_node(ctx.sources, (*pair)[1], path);
    if (last.index() < first.index()) ctx.fail(e, path, "a window's last month is before its first");
    for (const auto& [f, l] : out)
      if (f.index() == first.index() && l.index() == last.index()) ctx.fail(e, path, "duplicate window");
    out.emplace_back(first, last);
  }
  return out;
}

}  // namespace

void parse_run(ParseContext& ctx, const toml::table* tbl) {
  static const toml::table empty;
  TableReader r(tbl ? *tbl : empty, "run", ctx.sources);
  auto& run = ctx.cfg.run;
  if (r.has("start"))
    ctx.fail(r.require("start"), r.key_path("start"), "renamed: the discounting origin is now `valuation` (and the information cut `data_date`)");
  const RunSettings defaults;
  run.valuation = parse_date(r, "valuation", defaults.valuation.str());
  run.data_date = parse_date(r, "data_date", run.valuation.str());
  if (run.data_date.index() < run.valuation.index())
    ctx.fail(r.require("data_date"), r.key_path("data_date"), "expected a data date at or after the valuation date " + run.valuation.str());
  run.horizon_months = static_cast<int>(r.integer_in("horizon_months", 1, kMaxMonths, defaults.horizon_months));
  run.paths = static_cast<std::uint64_t>(r.integer_in("paths", 1, static_cast<std::int64_t>(kMaxPaths), static_cast<std::int64_t>(defaults.paths)));
  run.seed = static_cast<std::uint64_t>(r.integer_in("seed", 0, INT64_MAX, static_cast<std::int64_t>(defaults.seed)));
  run.batch = static_cast<std::uint64_t>(r.integer_in("batch", 0, std::int64_t{1} << 32, static_cast<std::int64_t>(defaults.batch)));
  r.finish();
}

void parse_report(ParseContext& ctx, const toml::table* tbl) {
  if (!tbl) return;
  TableReader r(*tbl, "report", ctx.sources);
  auto& rep = ctx.cfg.report;
  if (const toml::node* w = r.get("capex_windows")) rep.capex_windows = windows(ctx, *w, "report.capex_windows");
  if (const toml::node* w = r.get("revenue_windows")) rep.revenue_windows = windows(ctx, *w, "report.revenue_windows");
  if (const toml::node* w = r.get("release_windows")) rep.release_windows = windows(ctx, *w, "report.release_windows");
  const ReportSettings defaults;
  rep.required_revenue_margin = r.number_in("required_revenue_margin", 0.0, 0.99, defaults.required_revenue_margin);
  rep.cash_every_months = static_cast<int>(r.integer_in("cash_every_months", 0, kMaxMonths, defaults.cash_every_months));
  if (const toml::node* o = r.get("online_months")) {
    const auto* months = o->as_array();
    if (!months || months->empty() || months->size() > kMaxOnlineReports)
      ctx.fail(*o, "report.online_months", "expected 1 to kMaxOnlineReports = " + std::to_string(kMaxOnlineReports) + " months \"YYYY-MM\"");
    rep.online_months.clear();
    for (const auto& e : *months) {
      const YearMonth m = date_node(ctx.sources, e, "report.online_months");
      for (const auto& seen : rep.online_months)
        if (seen.index() == m.index()) ctx.fail(e, "report.online_months", "duplicate month");
      rep.online_months.push_back(m);
    }
  }
  r.finish();
}

}  // namespace buildout
