// [actuals]: what happened before the data date: capex, phases online and
// model releases.
#include <algorithm>

#include "host/config/parse_context.hpp"
#include "host/config/toml_input.hpp"
#include "host/config/value_bounds.hpp"

namespace buildout {

namespace {

using namespace bounds;

// [actuals]: what happened before the data date.
const toml::array& entries_of(const ParseContext& ctx, TableReader& r, std::string_view key, const std::string& expected) {
  const toml::node& n = r.require(key);
  const auto* entries = n.as_array();
  if (!entries) ctx.fail(n, r.key_path(key), "expected an array of " + expected + " tables");
  return *entries;
}

// An actual's date: before the data date.
YearMonth actual_date(const ParseContext& ctx, TableReader& t) {
  const YearMonth d = parse_date(t, "date", "");
  if (d.index() >= ctx.cfg.run.data_date.index())
    ctx.fail(t.require("date"), t.key_path("date"), "an actual dated " + d.str() + " is at or after the data date " + ctx.cfg.run.data_date.str());
  return d;
}

}  // namespace

void parse_actual_phases(ParseContext& ctx, TableReader& r) {
  if (!r.has("phases_online")) return;
  for (const auto& e : entries_of(ctx, r, "phases_online", "{ site, phase, date, it_mw, accelerator_count }")) {
    TableReader t(ctx.as_table(e, "actuals.phases_online"), "actuals.phases_online", ctx.sources);
    const std::string site = t.string("site");
    const std::string phase = t.string("phase", "");
    const std::string unit = phase.empty() ? site : site + "/" + phase;
    Site* u = nullptr;
    bool phased = false;
    for (auto& s : ctx.cfg.sites) {
      if (s.id == unit) u = &s;
      phased |= s.site_id == site && !s.phase_id.empty();
    }
    if (!u) {
      if (phased && phase.empty()) ctx.fail(t.require("site"), "actuals.phases_online.phase", "site \"" + site + "\" has phases: name the one that came online");
      ctx.fail(t.require(phase.empty() ? "site" : "phase"), std::string("actuals.phases_online.") + (phase.empty() ? "site" : "phase"),
              "unknown " + std::string(phase.empty() ? "site \"" + site : "phase \"" + unit) + "\" (not under [sites])");
    }
    if (u->online_actual) ctx.fail(e, "actuals.phases_online", "\"" + unit + "\" is online once: a second entry for it");
    u->online_actual = true;
    u->online_date = actual_date(ctx, t);
    if (u->online_date.index() < u->construction_start.index())
      ctx.fail(t.require("date"), "actuals.phases_online.date",
              "\"" + unit + "\" online " + u->online_date.str() + ", before its construction start " + u->construction_start.str());
    u->it_mw = t.number_in("it_mw", 1e-9, kSiteMw, u->it_mw);
    u->accelerator_count = t.number_in("accelerator_count", 0.0, kAcceleratorCount, u->accelerator_count);
    t.finish();
  }
}

void parse_actual_releases(ParseContext& ctx, TableReader& r) {
  if (!r.has("releases")) return;
  for (const auto& e : entries_of(ctx, r, "releases", "{ player, date, model, unlocked }")) {
    TableReader t(ctx.as_table(e, "actuals.releases"), "actuals.releases", ctx.sources);
    Player& p = ctx.cfg.players[ctx.resolve(t, "player", ctx.cfg.players, "players")];
    if (p.is_owner) ctx.fail(t.require("player"), "actuals.releases.player", "\"" + p.id + "\" is an owner: owners release no models");
    ActualRelease a;
    a.date = actual_date(ctx, t);
    a.model = t.string("model");
    a.unlocked = t.boolean("unlocked");
    t.finish();
    p.releases.push_back(a);
    std::stable_sort(p.releases.begin(), p.releases.end(), [](const ActualRelease& x, const ActualRelease& y) { return x.date.index() < y.date.index(); });
  }
}

void parse_actual_capex(ParseContext& ctx, TableReader& r) {
  if (const toml::node* n = r.get("capex")) {
    const auto* entries = n->as_array();
    if (!entries) ctx.fail(*n, "actuals.capex", "expected an array of { player, from, to, usd_b } tables");
    for (const auto& e : *entries) {
      TableReader t(ctx.as_table(e, "actuals.capex"), "actuals.capex", ctx.sources);
      CapexPeriod c = capex_period(ctx, t, e);
      const int p = ctx.resolve(t, "player", ctx.cfg.players, "players");
      c.actual = true;
      c.usd_b = Dist::fixed(t.number_in("usd_b", 0.0, kCapexUsdB));
      c.key = "actuals.capex." + ctx.cfg.players[p].id + "." + c.first.str() + ".usd_b";
      t.finish();
      if (c.last.index() >= ctx.cfg.run.data_date.index())
        ctx.fail(e, "actuals.capex", "an actual through " + c.last.str() + " is dated at or after the data date " + ctx.cfg.run.data_date.str());
      Programme& g = ctx.cfg.players[p].programme;
      if (!g.present)
        ctx.fail(e, "actuals.capex", "player \"" + ctx.cfg.players[p].id + "\" has no [players." + ctx.cfg.players[p].id +
                                        ".programme] to carry its actual capex");
      add_period(ctx, g, c, e, "actuals.capex");
    }
  }
}

}  // namespace buildout
