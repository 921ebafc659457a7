#include "host/config/outcomes.hpp"

#include "host/config/toml_input.hpp"

namespace buildout {

std::vector<Outcome> load_outcomes_file(const std::string& path) {
  const toml::table root = parse_toml_file(path, "outcomes");
  const SourceMap sources;  // nothing is copied: every node is where toml++ parsed it
  require_finite_numbers(sources, root);
  TableReader r(root, "", sources);
  const toml::node& list = r.require("outcomes");
  const auto* entries = list.as_array();
  if (!entries || entries->empty()) fail_at(sources, list, "outcomes", "expected [[outcomes]] tables");
  r.finish();
  std::vector<Outcome> out;
  for (const auto& e : *entries) {
    const auto* t = e.as_table();
    if (!t) fail_at(sources, e, "outcomes", "expected a table, got " + type_name(e));
    TableReader o(*t, "outcomes", sources);
    Outcome x;
    x.at = location_of(sources, e);
    x.name = o.string("name");
    x.source = o.string("source");
    if (o.has("site") == o.has("player")) fail_at(sources, e, "outcomes", "\"" + x.name + "\": give `site` (a sites.csv row) or `player` with `metric`");
    if (o.has("site")) {
      x.site = o.string("site");
      x.metric = "ready_month";
    } else {
      x.player = o.string("player");
      x.metric = o.string("metric");
    }
    const int given = o.has("date") + o.has("value") + o.has("reported_usd_b");
    if (given != 1) fail_at(sources, e, "outcomes", "\"" + x.name + "\": give one of `date` (\"YYYY-MM\"), `value` or `reported_usd_b`");
    if (o.has("date")) {
      x.dated = true;
      x.date = parse_date(o, "date", "");
    } else if (o.has("value")) {
      x.value = o.number("value");
    } else {
      x.value = o.number_in("reported_usd_b", 0.0, 1e5);
      x.times_ai_share = true;
    }
    const bool month_metric = x.metric == "first_release_month" || (x.metric.rfind("last_release_", 0) == 0 &&
                                                                   x.metric.size() > 6 && x.metric.compare(x.metric.size() - 6, 6, "_month") == 0);
    if (x.site.empty() && x.dated && !month_metric)
      fail_at(sources, e, "outcomes", "\"" + x.name + "\": a date goes with a site or a month metric (first_release_month, last_release_<window>_month)");
    o.finish();
    out.push_back(x);
  }
  return out;
}

}  // namespace buildout
