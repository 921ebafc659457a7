// [sites]: each site, its phases, and its construction, supply and network
// (the shared [construction], [supply] and template with its overrides).
#include <algorithm>

#include "host/config/parse_context.hpp"
#include "host/config/toml_input.hpp"
#include "host/config/value_bounds.hpp"
#include "kernels/limits.hpp"

namespace buildout {

namespace {

using namespace bounds;

// Keys are named as written in the template; the line points at the template
// or at this site's override, whichever the value came from.
Network site_network(ParseContext& ctx, const toml::table& network, const Site& s, const std::string& path) {
  try {
    return parse_network(ctx, network, "templates." + s.template_name);
  } catch (const ConfigError& e) {
    throw ConfigError(std::string(e.what()) + " (in the network of " + path + ": template \"" + s.template_name +
                      "\" with the site's overrides)");
  }
}

void parse_construction(ParseContext& ctx, const toml::table& tbl, Site& s, const std::string& path) {
  TableReader r(tbl, path, ctx.sources);
  s.labor_share = r.number_in("labor_share", 0.0, 1.0);
  s.materials_share = r.number_in("materials_share", 0.0, 1.0);
  s.equipment_share = r.number_in("equipment_share", 0.0, 1.0);
  if (s.labor_share + s.materials_share + s.equipment_share > 1.0 + 1e-12)
    ctx.fail(tbl, path, "labor_share + materials_share + equipment_share must not exceed 1");
  s.escalation_per_month = r.number_in("escalation_per_month", 0.0, 1.0);
  s.labor_index = parse_dist(ctx, r, "labor_index", 0.0, kMultiplier);
  s.materials_index = parse_dist(ctx, r, "materials_index", 0.0, kMultiplier);
  s.equipment_index = parse_dist(ctx, r, "equipment_index", 0.0, kMultiplier);
  const Dist none = Dist::fixed(0.0);
  s.owner_furnished_usd_m_per_mw = parse_dist(ctx, r, "owner_furnished_usd_m_per_mw", 0.0, kCostPerMwUsdM, &none);
  r.finish();
}

void parse_supply(ParseContext& ctx, const toml::table& tbl, Site& s, const std::string& path) {
  TableReader r(tbl, path, ctx.sources);
  s.allocation = parse_dist(ctx, r, "allocation", 0.0, 1.0);
  s.late_delivery_months = parse_dist(ctx, r, "late_delivery_months", 0.0, kMonths);
  s.ramp_months = parse_dist(ctx, r, "ramp_months", 0.0, kMonths);
  s.planned_ramp_months = r.number_in("planned_ramp_months", 0.0, kMonths);
  r.finish();
}

}  // namespace

void parse_site(ParseContext& ctx, const std::string& id, const toml::node& n) {
  const std::string path = "sites." + id;
  TableReader r(ctx.as_table(n, path), path, ctx.sources);
  Site s;
  s.id = s.site_id = id;
  s.name = r.string("name", id);
  s.player = ctx.resolve(r, "player", ctx.cfg.players, "players] or [owners");  // the entity that owns it and pays for it
  s.accelerator = ctx.resolve(r, "accelerator", ctx.cfg.accelerators, "accelerators");
  s.region = ctx.resolve(r, "region", ctx.cfg.regions, "regions");
  const toml::table* phases = r.optional_subtable("phases");
  if (phases) {
    for (const char* key : {"it_mw", "accelerator_count", "planned_ready"})
      if (r.has(key)) ctx.fail(r.require(key), r.key_path(key), "a site with phases gives it_mw, accelerator_count and planned_ready per phase");
    if (phases->empty()) ctx.fail(*phases, path + ".phases", "expected at least one phase");
  } else {
    s.it_mw = r.number_in("it_mw", 1e-9, kSiteMw);
    s.accelerator_count = r.number_in("accelerator_count", 0.0, kAcceleratorCount);
  }
  s.own = r.one_of("ownership", {"own", "lease"}, "own") == "own";
  s.construction_start = parse_date(r, "construction_start", "");
  if (!phases) {
    s.planned_ready = parse_date(r, "planned_ready", "");
    if (s.planned_ready.index() < s.construction_start.index())
      ctx.fail(r.require("planned_ready"), r.key_path("planned_ready"), "planned_ready is before construction_start");
  }
  s.cost_per_mw_usd_m = parse_dist(ctx, r, "cost_per_mw_usd_m", 0.0, kCostPerMwUsdM);
  s.facility_life_years = r.number_in("facility_life_years", 1e-9, 100.0, Site{}.facility_life_years);
  s.lease_yield = r.number_in("lease_yield", 0.0, 1.0, Site{}.lease_yield);
  s.lease_escalator = r.number_in("lease_escalator", -0.5, 1.0, Site{}.lease_escalator);
  s.lease_term_years = r.number_in("lease_term_years", 0.0, kMaxLeaseTermYears, Site{}.lease_term_years);

  toml::table construction = *ctx.construction;
  ctx.sources.record_copy(*ctx.construction, construction);
  if (const toml::table* o = r.optional_subtable("construction")) deep_merge(ctx.sources, construction, *o);
  parse_construction(ctx, construction, s, path + ".construction");
  toml::table supply = *ctx.supply;
  ctx.sources.record_copy(*ctx.supply, supply);
  if (const toml::table* o = r.optional_subtable("supply")) deep_merge(ctx.sources, supply, *o);
  parse_supply(ctx, supply, s, path + ".supply");

  s.template_name = r.string("template");
  const toml::node* tmpl = ctx.templates->get(s.template_name);
  if (!tmpl) ctx.fail(r.require("template"), r.key_path("template"), "unknown template \"" + s.template_name + "\" (not under [templates])");
  toml::table network = ctx.as_table(*tmpl, "templates." + s.template_name);
  ctx.sources.record_copy(*tmpl, network);
  if (const toml::table* o = r.optional_subtable("network")) deep_merge(ctx.sources, network, *o);
  r.finish();
  if (!phases) {
    s.network = site_network(ctx, network, s, path);
    ctx.cfg.sites.push_back(std::move(s));
    return;
  }

  std::vector<Site> units;
  for (const auto& [k, v] : *phases) {
    const std::string pid(k.str()), ppath = path + ".phases." + pid;
    TableReader q(ctx.as_table(v, ppath), ppath, ctx.sources);
    if (pid == "first") ctx.fail(v, ppath, "\"first\" is reserved: sites.csv names the site's first phase online so");
    Site u = s;
    u.phase_id = pid;
    u.id = id + "/" + pid;
    u.name = s.name + ", " + q.string("name", pid);
    if (q.has("accelerator")) u.accelerator = ctx.resolve(q, "accelerator", ctx.cfg.accelerators, "accelerators");
    u.it_mw = q.number_in("it_mw", 1e-9, kSiteMw);
    u.accelerator_count = q.number_in("accelerator_count", 0.0, kAcceleratorCount);
    u.construction_start = parse_date(q, "construction_start", s.construction_start.str());
    u.planned_ready = parse_date(q, "planned_ready", "");
    if (u.planned_ready.index() < u.construction_start.index())
      ctx.fail(q.require("planned_ready"), q.key_path("planned_ready"), "planned_ready is before construction_start");
    if (q.has("after")) {
      TableReader a(q.subtable("after"), ppath + ".after", ctx.sources);
      u.after_phase = a.string("phase");
      u.after_lag_months = a.number_in("lag_months", -kMonths, kMonths, Site{}.after_lag_months);
      if (!phases->contains(u.after_phase))
        ctx.fail(a.require("phase"), a.key_path("phase"), "unknown phase \"" + u.after_phase + "\" (not under " + path + ".phases)");
      a.finish();
    }
    toml::table phase_network = network;
    ctx.sources.record_copy(network, phase_network);
    if (const toml::table* o = q.optional_subtable("network")) deep_merge(ctx.sources, phase_network, *o);
    q.finish();
    u.network = site_network(ctx, phase_network, u, ppath);
    units.push_back(std::move(u));
  }
  // Planned order; a phase follows only one planned before it, so the kernel
  // has its ready date when it reaches it.
  std::stable_sort(units.begin(), units.end(), [](const Site& a, const Site& b) { return a.planned_ready.index() < b.planned_ready.index(); });
  for (size_t i = 0; i < units.size(); ++i) {
    if (units[i].after_phase.empty()) continue;
    bool earlier = false;
    for (size_t j = 0; j < i; ++j) earlier |= units[j].phase_id == units[i].after_phase;
    if (!earlier)
      ctx.fail(*phases->get(units[i].phase_id), path + ".phases." + units[i].phase_id + ".after",
              "a phase can follow only a phase planned ready before it (\"" + units[i].after_phase + "\" is not)");
  }
  for (auto& u : units) ctx.cfg.sites.push_back(std::move(u));
}

}  // namespace buildout
