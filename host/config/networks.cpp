// A schedule network: its drivers, activities (in topological order) and
// risk events.
#include <algorithm>

#include "host/config/parse_context.hpp"
#include "host/config/value_bounds.hpp"
#include "host/model/topological_order.hpp"
#include "kernels/limits.hpp"

namespace buildout {

namespace {

using namespace bounds;

}  // namespace

Network parse_network(ParseContext& ctx, const toml::table& tbl, const std::string& path) {
  TableReader r(tbl, path, ctx.sources);
  Network net;
  if (const toml::table* drivers = r.optional_subtable("drivers")) {
    TableReader d(*drivers, path + ".drivers", ctx.sources);
    for (const auto& [k, v] : *drivers) {
      net.driver_names.push_back(std::string(k.str()));
      net.drivers.push_back(parse_dist(ctx, d, std::string(k.str()), 0.0, kMultiplier));
    }
    d.finish();
  }
  const toml::table& acts = r.subtable("activities");
  if (acts.empty()) ctx.fail(acts, path + ".activities", "expected at least one activity");
  std::vector<std::string> ids;
  for (const auto& [k, v] : acts) ids.push_back(std::string(k.str()));
  auto find_id = [&](const std::string& id) { return static_cast<int>(std::find(ids.begin(), ids.end(), id) - ids.begin()); };

  std::vector<Activity> parsed;
  for (const auto& [k, v] : acts) {
    const std::string apath = path + ".activities." + std::string(k.str());
    TableReader a(ctx.as_table(v, apath), apath, ctx.sources);
    Activity act;
    act.id = std::string(k.str());
    a.string("name", act.id);
    act.duration = parse_dist(ctx, a, "duration", 0.0, kMonths);
    if (const toml::node* preds = a.get("predecessors")) {
      const auto arr = preds->as_array();
      if (!arr) ctx.fail(*preds, apath + ".predecessors", "expected an array of activity ids or { id, lag } tables");
      for (const auto& e : *arr) {
        std::string pid;
        double lag = 0;
        if (const auto s = e.as_string()) pid = s->get();
        else if (const auto t = e.as_table()) {
          TableReader pt(*t, apath + ".predecessors", ctx.sources);
          pid = pt.string("id");
          lag = pt.number_in("lag", -kMonths, kMonths, 0.0);
          pt.finish();
        } else ctx.fail(e, apath + ".predecessors", "expected an activity id or { id, lag }, got " + type_name(e));
        const int pi = find_id(pid);
        if (pi == static_cast<int>(ids.size()))
          ctx.fail(e, apath + ".predecessors", "unknown predecessor \"" + pid + "\" (not an activity of this network)");
        if (pid == act.id) ctx.fail(e, apath + ".predecessors", "an activity cannot precede itself");
        act.predecessors.push_back(pi);
        act.lags.push_back(lag);
      }
    }
    for (const auto& dn : a.strings("drivers")) {
      const auto it = std::find(net.driver_names.begin(), net.driver_names.end(), dn);
      if (it == net.driver_names.end()) ctx.fail(a.require("drivers"), apath + ".drivers", "unknown driver \"" + dn + "\" (not under " + path + ".drivers)");
      act.drivers.push_back(static_cast<int>(it - net.driver_names.begin()));
    }
    a.finish();
    parsed.push_back(std::move(act));
  }
  if (parsed.size() > kMaxActivities)
    ctx.fail(acts, path + ".activities", "at most kMaxActivities = " + std::to_string(kMaxActivities) + " activities per network");
  if (net.drivers.size() > kMaxDrivers)
    ctx.fail(tbl, path + ".drivers", "at most kMaxDrivers = " + std::to_string(kMaxDrivers) + " drivers per network");

  std::vector<std::vector<int>> predecessors;
  for (const auto& a : parsed) predecessors.push_back(a.predecessors);
  const TopologicalOrder sorted = topological_order(predecessors);
  if (!sorted.cycle.empty()) {
    std::string cycle;
    for (int i : sorted.cycle) cycle += (cycle.empty() ? "" : " -> ") + parsed[i].id;
    ctx.fail(acts, path + ".activities", "cycle in the schedule network: " + cycle);
  }
  const std::vector<int>& order = sorted.order;
  std::vector<int> position(order.size());
  for (size_t i = 0; i < order.size(); ++i) position[order[i]] = static_cast<int>(i);
  for (int i : order) {
    Activity a = parsed[i];
    for (int& p : a.predecessors) p = position[p];
    net.activities.push_back(std::move(a));
  }

  std::vector<bool> has_successor(order.size(), false);
  for (const auto& a : net.activities)
    for (int p : a.predecessors) has_successor[p] = true;
  if (r.has("terminal")) {
    const std::string t = r.string("terminal");
    const int i = find_id(t);
    if (i == static_cast<int>(ids.size())) ctx.fail(r.require("terminal"), path + ".terminal", "unknown activity \"" + t + "\"");
    net.terminal = position[i];
  } else {
    std::vector<std::string> sinks;
    for (size_t i = 0; i < net.activities.size(); ++i)
      if (!has_successor[i]) { sinks.push_back(net.activities[i].id); net.terminal = static_cast<int>(i); }
    if (sinks.size() > 1) {
      std::string list;
      for (const auto& s : sinks) list += (list.empty() ? "" : ", ") + s;
      ctx.fail(tbl, path + ".terminal", "several activities have no successor (" + list + "); set `terminal` to the one that makes the site ready");
    }
  }

  if (const toml::table* risks = r.optional_subtable("risks")) {
    for (const auto& [k, v] : *risks) {
      const std::string rpath = path + ".risks." + std::string(k.str());
      TableReader e(ctx.as_table(v, rpath), rpath, ctx.sources);
      RiskEvent ev;
      ev.id = std::string(k.str());
      e.string("name", ev.id);
      ev.occurs = parse_occurrence(ctx, e);
      Dist zero = Dist::fixed(0.0);
      ev.delay_months = parse_dist(ctx, e, "delay_months", 0.0, kMonths, &zero);
      ev.cost_usd_m = parse_dist(ctx, e, "cost_usd_m", 0.0, kEventCostUsdM, &zero);
      const auto hits = e.strings("hits");
      for (const auto& h : hits) {
        const int i = find_id(h);
        if (i == static_cast<int>(ids.size())) ctx.fail(e.require("hits"), rpath + ".hits", "unknown activity \"" + h + "\"");
        ev.hits.push_back(position[i]);
      }
      if (hits.empty() && !(ev.delay_months.is_fixed() && ev.delay_months.a == 0.0))
        ctx.fail(v, rpath + ".hits", "an event with a delay must name the activities it hits");
      e.finish();
      net.risks.push_back(std::move(ev));
    }
  }
  r.finish();
  return net;
}

}  // namespace buildout
