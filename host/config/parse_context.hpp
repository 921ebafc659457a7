#pragma once
// The parse of one config, section by section (load_config.cpp gives the
// order): each section's parser reads its tables through a ParseContext, which
// holds the Config being built, where each node was written and the tables
// that several sections read.
#include <string>
#include <string_view>
#include <vector>

#include "host/config/config.hpp"
#include "host/config/toml_reader.hpp"

namespace buildout {

struct ParseContext {
  Config& cfg;
  SourceMap& sources;
  // Tables that sections read besides their own.
  const toml::table* market = nullptr;
  const toml::table* regions = nullptr;
  const toml::table* players = nullptr;
  const toml::table* owners = nullptr;  // nullptr: none
  const toml::table* construction = nullptr;
  const toml::table* supply = nullptr;
  const toml::table* templates = nullptr;
  const toml::table* sites = nullptr;
  const toml::table* contracts = nullptr;  // nullptr: none

  [[noreturn]] void fail(const toml::node& at, const std::string& key_path, const std::string& expected) const {
    fail_at(sources, at, key_path, expected);
  }
  const toml::table& as_table(const toml::node& n, const std::string& path) const;
  // A required table of at least one entry.
  const toml::table& table_of(TableReader& r, std::string_view key) const;
  // The index of the item the string under `key` names; fails naming `section`.
  template <class T>
  int resolve(TableReader& r, std::string_view key, const std::vector<T>& items, const std::string& section) const;
};

template <class T>
int index_of(const std::vector<T>& items, const std::string& id) {
  for (size_t i = 0; i < items.size(); ++i)
    if (items[i].id == id) return static_cast<int>(i);
  return -1;
}

template <class T>
int ParseContext::resolve(TableReader& r, std::string_view key, const std::vector<T>& items, const std::string& section) const {
  const std::string name = r.string(key);
  const int i = index_of(items, name);
  if (i < 0) fail(r.require(key), r.key_path(key), "unknown " + std::string(key) + " \"" + name + "\" (not under [" + section + "])");
  return i;
}

// distributions.cpp: draws and the tables they are given by.
Dist parse_dist(ParseContext& ctx, TableReader& parent, std::string_view key, double lo, double hi, const Dist* fallback = nullptr);
void parse_loading(ParseContext& ctx, TableReader& t, Dist& d);  // factor + loading
Dist parse_occurrence(ParseContext& ctx, TableReader& t);        // { probability, factor, loading }

// run_report.cpp: [run] and [report].
void parse_run(ParseContext& ctx, const toml::table* tbl);
void parse_report(ParseContext& ctx, const toml::table* tbl);
// factors.cpp: [factors].
void parse_factors(ParseContext& ctx, const toml::table* tbl);
// market.cpp: [market], [regions], [accelerators].
void parse_market(ParseContext& ctx, const toml::table& tbl);
void parse_region(ParseContext& ctx, const std::string& id, const toml::node& n, const std::string& section);
void parse_accelerator(ParseContext& ctx, const std::string& id, const toml::node& n);
// entities.cpp: [players] (programme, guidance, customers) and [owners].
void parse_player(ParseContext& ctx, const std::string& id, const toml::node& n);
void parse_owner(ParseContext& ctx, const std::string& id, const toml::node& n);
CapexPeriod capex_period(ParseContext& ctx, TableReader& t, const toml::node& e);
void add_period(ParseContext& ctx, Programme& g, CapexPeriod c, const toml::node& at, const std::string& path);
// actuals.cpp: [actuals].
void parse_actual_capex(ParseContext& ctx, TableReader& r);
void parse_actual_phases(ParseContext& ctx, TableReader& r);
void parse_actual_releases(ParseContext& ctx, TableReader& r);
// sites.cpp: [sites] and their phases.
void parse_site(ParseContext& ctx, const std::string& id, const toml::node& n);
// networks.cpp: a schedule network (a template with a site's overrides).
Network parse_network(ParseContext& ctx, const toml::table& tbl, const std::string& path);
// contracts.cpp: [contracts].
void parse_contract(ParseContext& ctx, const std::string& id, const toml::node& n);
// validate_config.cpp: checks across sections, once every section is read.
void validate_config(ParseContext& ctx);

}  // namespace buildout
