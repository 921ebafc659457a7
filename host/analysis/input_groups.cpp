#include "input_groups.hpp"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <utility>

#include "host/config/config_error.hpp"
#include "host/config/splitmix64.hpp"
#include "host/model/draw_fields.hpp"
#include "kernels/draws.hpp"

namespace buildout {
namespace {

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The group order of the reports; schedule.<site> groups follow these, then "other".
const char* const kGroupOrder[] = {"factors",      "market.price_level", "market.price_decline", "market.demand_growth", "market.elasticity",
                                   "power",        "cost_of_capital",    "monetisation",         "frontier",             "customers",
                                   "programme",    "contracts",          "construction_costs"};

// The group of a key (relative to its owner) in a block's list (kernels/draw_blocks.hpp); null
// when the list has none.
template <class Source, std::size_t n>
const char* group_in(const DrawField<Source> (&fields)[n], const std::string& key) {
  for (const DrawField<Source>& f : fields)
    if (key == f.key) return f.group;
  return nullptr;
}

// A player's draws beyond its lists: its later flagships' success streams, its release grid's
// draws and its programme's capex periods.
std::string player_input_group(const std::string& field) {
  for (const char* group : {group_in(kPlayerDrawFields, field), group_in(kCeilingDrawFields, field), group_in(kProgrammeDrawFields, field)})
    if (group) return group;
  if (starts_with(field, "frontier_success.release_") || field == "release_cadence_months" || field == "release_phase") return "frontier";
  if (starts_with(field, "programme.guidance.")) return "programme";
  return "other";
}

// A schedule unit's draws beyond its site's list: its network's drivers, durations and risk
// events, under the site's key or a phase's.
std::string site_input_group(const std::string& site, const std::string& field) {
  if (const char* group = group_in(kSiteDrawFields, field)) return group == std::string("schedule") ? "schedule." + site : group;
  // A risk event's cost is a construction cost; whether it occurs and its delay are the schedule's.
  if (ends_with(field, ".cost_usd_m")) return "construction_costs";
  if (starts_with(field, "network.") || starts_with(field, "phases.")) return "schedule." + site;
  return "other";
}

// The draw's marginal quantile function Q(u), for kinds that are a function of u = Phi(z).
double quantile_from_uniform(const DrawSpec& d, const double* tables, double u) {
  if (d.kind != DistKind::Discrete) return marginal_from_uniform(d, tables, u);
  // Discrete values are stored in the config's order: sort them to read a quantile by value.
  const double* cum = tables + d.table_offset;
  const double* x = cum + d.table_size;
  std::vector<std::pair<double, double>> values;  // (value, probability)
  for (int k = 0; k < d.table_size; ++k) values.emplace_back(x[k], cum[k] - (k > 0 ? cum[k - 1] : 0.0));
  std::sort(values.begin(), values.end());
  double c = 0;
  for (const auto& [value, p] : values)
    if ((c += p) >= u) return value;
  return values.back().first;
}

// 62 bits, as draw_stream's.
std::uint64_t resampled_stream(std::uint64_t stream) { return splitmix64_mix(stream ^ kGoldenGamma) >> 2; }

}  // namespace

std::string input_group_of(const std::string& key) {
  if (starts_with(key, "factors.")) return "factors";
  if (starts_with(key, kGlobalDrawsKey)) {
    const char* group = group_in(kGlobalDrawFields, key.substr(std::string(kGlobalDrawsKey).size()));
    return group ? group : "other";
  }
  if (starts_with(key, "regions.")) return "power";
  if (starts_with(key, "contracts.")) return "contracts";
  if (starts_with(key, "actuals.capex.")) return "programme";
  if (starts_with(key, "players.")) {
    const std::size_t dot = key.find('.', 8);
    return dot == std::string::npos ? "other" : player_input_group(key.substr(dot + 1));
  }
  if (starts_with(key, "sites.")) {
    const std::size_t dot = key.find('.', 6);
    return dot == std::string::npos ? "other" : site_input_group(key.substr(6, dot - 6), key.substr(dot + 1));
  }
  return "other";
}

std::vector<InputGroup> input_groups(const CompiledModel& m) {
  std::vector<InputGroup> groups;
  const auto group = [&groups](const std::string& name) -> InputGroup& {
    for (auto& g : groups)
      if (g.name == name) return g;
    groups.push_back(InputGroup{name, {}, {}, {}});
    return groups.back();
  };
  for (const char* name : kGroupOrder) group(name);
  for (int k = 0; k < m.n_factors; ++k) group("factors").factors.push_back(k);
  for (int d = 0; d < static_cast<int>(m.draws.size()); ++d)
    if (m.draws[d].kind != DistKind::Fixed) group(input_group_of(m.draw_keys[d])).draws.push_back(d);
  for (int k = 0; k < static_cast<int>(m.release_streams.size()); ++k) group("frontier").release_streams.push_back(k);
  // "other" last, then drop the groups with no random input.
  std::stable_partition(groups.begin(), groups.end(), [](const InputGroup& g) { return g.name != "other"; });
  groups.erase(std::remove_if(groups.begin(), groups.end(),
                              [](const InputGroup& g) { return g.draws.empty() && g.factors.empty() && g.release_streams.empty(); }),
               groups.end());
  return groups;
}

std::vector<InputGroup> select_input_groups(const CompiledModel& m, const std::string& names) {
  std::vector<InputGroup> all = input_groups(m);
  if (names.empty()) return all;
  std::vector<InputGroup> chosen;
  std::size_t at = 0;
  while (at <= names.size()) {
    const std::size_t comma = std::min(names.find(',', at), names.size());
    const std::string name = names.substr(at, comma - at);
    at = comma + 1;
    const auto it = std::find_if(all.begin(), all.end(), [&](const InputGroup& g) { return g.name == name; });
    if (it == all.end()) {
      std::string known;
      for (const auto& g : all) known += (known.empty() ? "" : ", ") + g.name;
      throw UserError("--groups: unknown input group \"" + name + "\" (this model's groups: " + known + ")");
    }
    if (std::none_of(chosen.begin(), chosen.end(), [&](const InputGroup& g) { return g.name == name; })) chosen.push_back(*it);
  }
  return chosen;
}

double draw_quantile(const CompiledModel& m, int draw, double level) {
  const DrawSpec& d = m.draws[draw];
  switch (d.kind) {
    case DistKind::Fixed: return d.a;
    case DistKind::Normal:
    case DistKind::Lognormal: return marginal_from_score(d, m.tables.data(), boost::math::quantile(boost::math::normal(), level));
    case DistKind::Bernoulli: {
      const double p = d.factor < 0 ? d.b : boost::math::cdf(boost::math::normal(), std::clamp(d.a, -40.0, 40.0));
      return level > 1.0 - p ? 1.0 : 0.0;
    }
    default: return quantile_from_uniform(d, m.tables.data(), level);
  }
}

CompiledModel with_group_at(const CompiledModel& m, const InputGroup& g, double level) {
  CompiledModel v = m;
  for (int d : g.draws) {
    DrawSpec& s = v.draws[d];
    s.a = draw_quantile(m, d, level);
    s.kind = DistKind::Fixed;
  }
  return v;
}

CompiledModel with_groups_resampled(const CompiledModel& m, const std::vector<const InputGroup*>& groups) {
  CompiledModel v = m;
  for (const InputGroup* g : groups) {
    for (int d : g->draws) v.draws[d].stream = resampled_stream(m.draws[d].stream);
    for (int k : g->factors) v.factor_streams[k] = resampled_stream(m.factor_streams[k]);
    for (int k : g->release_streams) v.release_streams[k] = resampled_stream(m.release_streams[k]);
  }
  return v;
}

}  // namespace buildout
