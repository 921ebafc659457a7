#include "outcomes.hpp"

#include <fstream>
#include <sstream>

#include "toml_reader.hpp"

namespace buildout {

std::vector<Outcome> load_outcomes_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot open outcomes file (does it exist and is it readable?)");
  std::ostringstream text;
  text << in.rdbuf();
  toml::table root;
  try {
    root = toml::parse(text.str(), path);
  } catch (const toml::parse_error& e) {
    std::ostringstream os;
    os << path << ':' << e.source().begin.line << ':' << e.source().begin.column << ": TOML syntax error: " << e.description();
    throw ConfigError(os.str());
  }
  require_finite_numbers(root);
  TableReader r(root, "");
  const toml::node& list = r.require("outcomes");
  const auto* entries = list.as_array();
  if (!entries || entries->empty()) fail_at(list, "outcomes", "expected [[outcomes]] tables");
  r.finish();
  std::vector<Outcome> out;
  for (const auto& e : *entries) {
    const auto* t = e.as_table();
    if (!t) fail_at(e, "outcomes", "expected a table, got " + type_name(e));
    TableReader o(*t, "outcomes");
    Outcome x;
    x.name = o.string("name");
    x.source = o.string("source");
    if (o.has("site") == o.has("player")) fail_at(e, "outcomes", "\"" + x.name + "\": give `site` (a sites.csv row) or `player` with `metric`");
    if (o.has("site")) {
      x.site = o.string("site");
      x.metric = "ready_month";
    } else {
      x.player = o.string("player");
      x.metric = o.string("metric");
    }
    const int given = o.has("date") + o.has("value") + o.has("reported_usd_b");
    if (given != 1) fail_at(e, "outcomes", "\"" + x.name + "\": give one of `date` (\"YYYY-MM\"), `value` or `reported_usd_b`");
    if (o.has("date")) {
      x.dated = true;
      const std::string d = o.string("date");
      int y = 0, m = 0;
      if (d.size() != 7 || std::sscanf(d.c_str(), "%4d-%2d", &y, &m) != 2 || d[4] != '-' || m < 1 || m > 12)
        fail_at(o.require("date"), "outcomes.date", "expected a date \"YYYY-MM\", got \"" + d + "\"");
      x.date = YearMonth{y, m};
    } else if (o.has("value")) {
      x.value = o.number("value");
    } else {
      x.value = o.number_in("reported_usd_b", 0.0, 1e5);
      x.times_ai_share = true;
    }
    const bool month_metric = x.metric == "first_release_month" || (x.metric.rfind("last_release_", 0) == 0 &&
                                                                   x.metric.size() > 6 && x.metric.compare(x.metric.size() - 6, 6, "_month") == 0);
    if (x.site.empty() && x.dated && !month_metric)
      fail_at(e, "outcomes", "\"" + x.name + "\": a date goes with a site or a month metric (first_release_month, last_release_<window>_month)");
    o.finish();
    out.push_back(x);
  }
  return out;
}

}  // namespace buildout
