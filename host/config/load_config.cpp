// TOML -> Config: `extends`, then each section in order (parse_context.hpp
// names the file that parses each), then the checks across sections.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "host/config/config.hpp"
#include "host/config/fnv1a64.hpp"
#include "host/config/parse_context.hpp"
#include "host/config/toml_input.hpp"
#include "host/config/toml_reader.hpp"

namespace buildout {

const toml::table& ParseContext::as_table(const toml::node& n, const std::string& path) const {
  const auto t = n.as_table();
  if (!t) fail(n, path, "expected a table, got " + type_name(n));
  return *t;
}

const toml::table& ParseContext::table_of(TableReader& r, std::string_view key) const {
  const toml::table& t = r.subtable(key);
  if (t.empty()) fail(t, r.key_path(key), "expected at least one entry");
  return t;
}

namespace {

// The longest chain of `extends` a config may have: each file a base of the one before.
constexpr std::size_t kMaxExtends = 16;

// Applies `extends = "other.toml"` (relative to the extending file) recursively.
toml::table load_with_extends(SourceMap& sources, const std::string& path, std::vector<std::string>& chain) {
  std::string canonical;
  try {
    canonical = std::filesystem::weakly_canonical(path).string();
  } catch (const std::filesystem::filesystem_error& e) {
    throw ConfigError(path + ": cannot read config file: " + e.code().message());
  }
  if (std::find(chain.begin(), chain.end(), canonical) != chain.end())
    throw ConfigError(path + ": extends: circular chain of `extends` through this file");
  if (chain.size() >= kMaxExtends)
    throw ConfigError(path + ": extends: a chain of more than " + std::to_string(kMaxExtends) + " configs, each extending the next");
  chain.push_back(canonical);
  toml::table self = parse_toml_file(path, "config");
  const toml::node* ext = self.get("extends");
  if (!ext) return self;
  const auto name = ext->as_string();
  if (!name) fail_at(sources, *ext, "extends", "expected a file name string, got " + type_name(*ext));
  const auto base_path = (std::filesystem::path(path).parent_path() / name->get()).string();
  toml::table base = load_with_extends(sources, base_path, chain);
  self.erase("extends");
  deep_merge(sources, base, self);
  return base;
}

std::string fnv1a64_hex(const std::string& s) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a64(s)));
  return buf;
}

void parse_sections(ParseContext& ctx, const toml::table& root) {
  TableReader r(root, "", ctx.sources);
  r.get("extends");  // consumed by load_with_extends
  parse_run(ctx, r.optional_subtable("run"));
  parse_report(ctx, r.optional_subtable("report"));
  parse_factors(ctx, r.optional_subtable("factors"));
  ctx.market = &r.subtable("market");
  parse_market(ctx, *ctx.market);
  ctx.regions = &ctx.table_of(r, "regions");
  for (const auto& [k, v] : *ctx.regions) parse_region(ctx, std::string(k.str()), v, "regions");
  for (const auto& [k, v] : ctx.table_of(r, "accelerators")) parse_accelerator(ctx, std::string(k.str()), v);
  ctx.construction = &r.subtable("construction");
  ctx.supply = &r.subtable("supply");
  ctx.templates = &r.subtable("templates");
  ctx.players = &ctx.table_of(r, "players");
  for (const auto& [k, v] : *ctx.players) parse_player(ctx, std::string(k.str()), v);
  if (r.has("owners")) {
    ctx.owners = &ctx.table_of(r, "owners");
    for (const auto& [k, v] : *ctx.owners) parse_owner(ctx, std::string(k.str()), v);
  }
  static const toml::table no_actuals;
  const toml::table* actuals = r.optional_subtable("actuals");
  TableReader actual(actuals ? *actuals : no_actuals, "actuals", ctx.sources);
  parse_actual_capex(ctx, actual);
  ctx.sites = &r.subtable("sites");
  if (ctx.sites->empty()) ctx.fail(*ctx.sites, "sites", "expected at least one site");
  for (const auto& [k, v] : *ctx.sites) parse_site(ctx, std::string(k.str()), v);
  parse_actual_phases(ctx, actual);
  parse_actual_releases(ctx, actual);
  actual.finish();
  if (r.has("contracts")) {
    ctx.contracts = &ctx.table_of(r, "contracts");
    for (const auto& [k, v] : *ctx.contracts) parse_contract(ctx, std::string(k.str()), v);
  }
  r.finish();
  validate_config(ctx);
}

Config finish_parse(SourceMap& sources, const toml::table& root, const std::string& source) {
  Config cfg;
  cfg.source = source;
  std::ostringstream canonical;
  canonical << toml::toml_formatter(root);
  cfg.hash = fnv1a64_hex(canonical.str());
  require_finite_numbers(sources, root);
  ParseContext ctx{cfg, sources};
  parse_sections(ctx, root);
  return cfg;
}

}  // namespace

Config load_config_file(const std::string& path) {
  SourceMap sources;
  std::vector<std::string> chain;
  const toml::table root = load_with_extends(sources, path, chain);
  return finish_parse(sources, root, path);
}

Config load_config_text(const std::string& text, const std::string& source_name) {
  SourceMap sources;
  toml::table root = parse_toml_text(text, source_name);
  if (root.contains("extends")) fail_at(sources, *root.get("extends"), "extends", "`extends` needs a config file on disk");
  return finish_parse(sources, root, source_name);
}

}  // namespace buildout
