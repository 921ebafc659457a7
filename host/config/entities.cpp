// The entities: [players] (with a programme and its guidance periods, and
// their customers' ceiling) and [owners].
#include <algorithm>
#include <limits>

#include "host/config/parse_context.hpp"
#include "host/config/toml_input.hpp"
#include "host/config/value_bounds.hpp"
#include "kernels/limits.hpp"

namespace buildout {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
using namespace bounds;

// What players and owners share: who they are, their discount rate and how they run capacity.
Player parse_entity(ParseContext& ctx, TableReader& r, const std::string& id) {
  Player p;
  p.id = id;
  p.name = r.string("name", id);
  p.entity = r.string("entity", "");
  p.wacc = parse_dist(ctx, r, "wacc", -0.5, 1.0);
  p.utilisation = parse_dist(ctx, r, "utilisation", 0.0, 1.0);
  p.pue = parse_dist(ctx, r, "pue", 1.0, 5.0);
  p.om_share_per_year = r.number_in("om_share_per_year", 0.0, 1.0);
  return p;
}

CustomerCeiling parse_customers(ParseContext& ctx, const toml::table& tbl, const std::string& path) {
  TableReader r(tbl, path, ctx.sources);
  CustomerCeiling c;
  c.present = true;
  // Without a backlog (a consumer business) the ceiling is the spend alone.
  const Dist none = Dist::fixed(0.0), all = Dist::fixed(1.0), a_year = Dist::fixed(12.0);
  c.backlog_usd_b = parse_dist(ctx, r, "backlog_usd_b", 0.0, kCapexUsdB, &none);
  c.backlog_ai_share = parse_dist(ctx, r, "backlog_ai_share", 0.0, 1.0, &all);
  c.backlog_months = parse_dist(ctx, r, "backlog_months", 1.0, kMonths, &a_year);
  c.spend_usd_b_per_year = parse_dist(ctx, r, "spend_usd_b_per_year", 0.0, kCapexUsdB);
  r.finish();
  return c;
}

Programme parse_programme(ParseContext& ctx, const toml::table& tbl, const std::string& path) {
  TableReader r(tbl, path, ctx.sources);
  Programme g;
  g.present = true;
  g.ai_share = r.number_in("ai_share", 0.0, 1.0);
  g.capex_basis = r.one_of("capex_basis", {"cash", "incl_finance_leases"}, "");
  g.accelerator = ctx.resolve(r, "accelerator", ctx.cfg.accelerators, "accelerators");
  if (!(ctx.cfg.accelerators[g.accelerator].kw_per_unit > 0))
    ctx.fail(r.require("accelerator"), r.key_path("accelerator"), "a programme's accelerator needs kw_per_unit > 0 (capacity is sized from power)");
  g.region = ctx.resolve(r, "region", ctx.cfg.regions, "regions");
  g.usd_b_per_gw = parse_dist(ctx, r, "usd_b_per_gw", kMinUsdBPerGw, kUsdBPerGw);
  g.lag_months = parse_dist(ctx, r, "lag_months", 0.0, kMonths);
  g.accelerator_share = r.number_in("accelerator_share", 0.0, 1.0);
  g.facility_life_years = r.number_in("facility_life_years", 1e-9, 100.0, Programme{}.facility_life_years);
  g.finance_lease_share = r.number_in("finance_lease_share", 0.0, 1.0, Programme{}.finance_lease_share);
  if (g.finance_lease_share > 0) {
    if (g.capex_basis != "incl_finance_leases")
      ctx.fail(r.require("finance_lease_share"), r.key_path("finance_lease_share"),
              "finance leases are part of the reported capex only with capex_basis = \"incl_finance_leases\"");
    g.finance_lease_rate = r.number_in("finance_lease_rate", 0.0, 1.0);
    g.finance_lease_term_years = r.number_in("finance_lease_term_years", 1.0 / 12.0, 100.0);
  }
  if (const toml::node* n = r.get("guidance")) {
    const auto* entries = n->as_array();
    if (!entries) ctx.fail(*n, path + ".guidance", "expected an array of { from, to, usd_b, guided_usd_b } tables");
    for (const auto& e : *entries) {
      TableReader t(ctx.as_table(e, path + ".guidance"), path + ".guidance", ctx.sources);
      CapexPeriod c = capex_period(ctx, t, e);
      c.key = path + ".guidance." + c.first.str() + ".usd_b";
      c.usd_b = parse_dist(ctx, t, "usd_b", 0.0, kCapexUsdB);
      if (t.has("guided_usd_b")) {  // absent: no company statement, the draw is the modeller's
        const std::vector<double> range = t.numbers("guided_usd_b");
        if (range.size() != 2 || !(range[0] >= 0 && range[0] <= range[1]))
          ctx.fail(t.require("guided_usd_b"), path + ".guidance.guided_usd_b", "expected [low, high] in $B with 0 <= low <= high (a point figure: [x, x])");
        c.guided = true;
        c.guided_lo = range[0];
        c.guided_hi = range[1];
      }
      t.finish();
      if (c.first.index() < ctx.cfg.run.data_date.index())
        ctx.fail(e, path + ".guidance", "guidance from " + c.first.str() + " is before the data date " + ctx.cfg.run.data_date.str() +
                                           ": what happened before it belongs under [actuals] capex");
      add_period(ctx, g, c, e, path + ".guidance");
    }
  }
  r.finish();
  return g;
}

}  // namespace

void parse_player(ParseContext& ctx, const std::string& id, const toml::node& n) {
  const std::string path = "players." + id;
  TableReader r(ctx.as_table(n, path), path, ctx.sources);
  Player p = parse_entity(ctx, r, id);
  p.training_months = parse_dist(ctx, r, "training_months", 0.0, kMonths);
  {
    TableReader s(r.subtable("frontier_success"), path + ".frontier_success", ctx.sources);
    p.frontier_success = parse_occurrence(ctx, s);
    s.finish();
  }
  p.monetisation_pre = parse_dist(ctx, r, "monetisation_pre", 0.0, kMultiplier);
  p.monetisation_success = parse_dist(ctx, r, "monetisation_success", 0.0, kMultiplier);
  p.monetisation_fail = parse_dist(ctx, r, "monetisation_fail", 0.0, kMultiplier);
  p.rent_share = r.number_in("rent_share", 0.0, 1.0);
  p.frontier_threshold_h100eq = r.number_in("frontier_threshold_h100eq", 0.0, kInf);
  if (const toml::table* prog = r.optional_subtable("programme")) p.programme = parse_programme(ctx, *prog, path + ".programme");
  if (const toml::table* c = r.optional_subtable("customers")) p.customers = parse_customers(ctx, *c, path + ".customers");
  if (r.has("release_cadence_months")) {
    p.has_cadence = true;
    p.release_cadence_months = parse_dist(ctx, r, "release_cadence_months", 0.5, kMonths);
  }
  r.finish();
  ctx.cfg.players.push_back(p);
}

// An owner: an entity with its own WACC and operating draws, no model releases.
void parse_owner(ParseContext& ctx, const std::string& id, const toml::node& n) {
  const std::string path = "owners." + id;
  if (index_of(ctx.cfg.players, id) >= 0) ctx.fail(n, path, "\"" + id + "\" is already a player: owners and players need distinct ids");
  TableReader r(ctx.as_table(n, path), path, ctx.sources);
  Player p = parse_entity(ctx, r, id);
  p.is_owner = true;
  r.finish();
  // It sells what it does not contract at the market price, and never trains a frontier model.
  p.training_months = p.monetisation_pre = p.monetisation_success = p.monetisation_fail = Dist::fixed(0.0);
  p.frontier_success = Dist::fixed(0.0);
  p.rent_share = 1.0;
  p.frontier_threshold_h100eq = std::numeric_limits<double>::infinity();
  ctx.cfg.players.push_back(p);
}

// { from, to } spanning whole quarters.
CapexPeriod capex_period(ParseContext& ctx, TableReader& t, const toml::node& e) {
  const std::string& path = t.path();
  CapexPeriod c;
  c.first = parse_date(t, "from", "");
  c.last = parse_date(t, "to", "");
  if ((c.first.month - 1) % 3 != 0 || c.last.month % 3 != 0 || c.last.index() < c.first.index())
    ctx.fail(e, path, "expected whole calendar quarters: `from` in Jan/Apr/Jul/Oct, `to` in Mar/Jun/Sep/Dec, not before `from` (got " +
                         c.first.str() + " to " + c.last.str() + ")");
  return c;
}

void add_period(ParseContext& ctx, Programme& g, CapexPeriod c, const toml::node& at, const std::string& path) {
  for (const auto& o : g.periods)
    if (c.first.index() <= o.last.index() && o.first.index() <= c.last.index())
      ctx.fail(at, path, "quarters overlap: " + c.first.str() + " to " + c.last.str() + " and " + o.first.str() + " to " + o.last.str() +
                            " (" + (o.actual ? "an actual" : "guidance") + ")");
  if (g.periods.size() >= static_cast<size_t>(kMaxProgrammePeriods))
    ctx.fail(at, path, "one capex period too many: a programme has at most kMaxProgrammePeriods = " + std::to_string(kMaxProgrammePeriods) +
                           " (actual and guided together)");
  g.periods.push_back(std::move(c));
  std::sort(g.periods.begin(), g.periods.end(), [](const CapexPeriod& a, const CapexPeriod& b) { return a.first.index() < b.first.index(); });
}

}  // namespace buildout
