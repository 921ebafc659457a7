// TOML -> Config: parsing, `extends`, name resolution and validation.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <sstream>

#include "../../kernels/limits.hpp"
#include "config.hpp"
#include "fnv1a64.hpp"
#include "toml_input.hpp"
#include "toml_reader.hpp"
#include "value_bounds.hpp"

namespace buildout {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
using namespace bounds;
constexpr double kZ90 = 1.2815515655446004;  // Phi^-1(0.9)

// The longest chain of `extends` a config may have: each file a base of the one before.
constexpr std::size_t kMaxExtends = 16;

// Applies `extends = "other.toml"` (relative to the extending file) recursively.
toml::table load_with_extends(const std::string& path, std::vector<std::string>& chain) {
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
  if (!name) fail_at(*ext, "extends", "expected a file name string, got " + type_name(*ext));
  const auto base_path = (std::filesystem::path(path).parent_path() / name->get()).string();
  toml::table base = load_with_extends(base_path, chain);
  self.erase("extends");
  deep_merge(base, self);
  return base;
}

std::string fnv1a64_hex(const std::string& s) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a64(s)));
  return buf;
}

class Parser {
 public:
  explicit Parser(Config& cfg) : cfg_(cfg) {}

  void parse(const toml::table& root) {
    TableReader r(root, "");
    r.get("extends");  // consumed by load_with_extends
    parse_run(r.optional_subtable("run"));
    parse_report(r.optional_subtable("report"));
    parse_factors(r.optional_subtable("factors"));
    market_ = &r.subtable("market");
    parse_market(*market_);
    for (const auto& [k, v] : table_of(r, "regions")) parse_region(std::string(k.str()), v, "regions");
    for (const auto& [k, v] : table_of(r, "accelerators")) parse_accelerator(std::string(k.str()), v);
    construction_ = &r.subtable("construction");
    supply_ = &r.subtable("supply");
    templates_ = &r.subtable("templates");
    for (const auto& [k, v] : table_of(r, "players")) parse_player(std::string(k.str()), v);
    if (r.has("owners"))
      for (const auto& [k, v] : table_of(r, "owners")) parse_owner(std::string(k.str()), v);
    static const toml::table no_actuals;
    const toml::table* actuals = r.optional_subtable("actuals");
    TableReader actual(actuals ? *actuals : no_actuals, "actuals");
    parse_actual_capex(actual);
    const toml::table& sites = r.subtable("sites");
    if (sites.empty()) fail_at(sites, "sites", "expected at least one site");
    for (const auto& [k, v] : sites) parse_site(std::string(k.str()), v);
    parse_actual_phases(actual);
    parse_actual_releases(actual);
    actual.finish();
    if (r.has("contracts"))
      for (const auto& [k, v] : table_of(r, "contracts")) parse_contract(std::string(k.str()), v);
    r.finish();
    validate_templates();
    finalize_sites(sites);
    check_price_rise();
  }

 private:
  Config& cfg_;
  const toml::table* market_ = nullptr;
  const toml::table* construction_ = nullptr;
  const toml::table* supply_ = nullptr;
  const toml::table* templates_ = nullptr;

  const toml::table& table_of(TableReader& r, std::string_view key) {
    const toml::table& t = r.subtable(key);
    if (t.empty()) fail_at(t, r.key_path(key), "expected at least one entry");
    return t;
  }

  static const toml::table& as_table(const toml::node& n, const std::string& path) {
    const auto t = n.as_table();
    if (!t) fail_at(n, path, "expected a table, got " + type_name(n));
    return *t;
  }

  template <class T>
  int index_of(const std::vector<T>& items, const std::string& id) {
    for (size_t i = 0; i < items.size(); ++i)
      if (items[i].id == id) return static_cast<int>(i);
    return -1;
  }

  int factor_index(const toml::node& at, const std::string& path, const std::string& name) {
    for (size_t i = 0; i < cfg_.factor_names.size(); ++i)
      if (cfg_.factor_names[i] == name) return static_cast<int>(i);
    std::string known;
    for (const auto& f : cfg_.factor_names) known += (known.empty() ? "" : ", ") + f;
    fail_at(at, path, "undeclared factor \"" + name + "\" (declared in [factors] names: " + (known.empty() ? "none" : known) + ")");
  }

  // factor + loading keys shared by draws and occurrence probabilities.
  void parse_loading(TableReader& t, Dist& d) {
    if (t.has("factor")) {
      d.factor = factor_index(t.require("factor"), t.key_path("factor"), t.string("factor"));
      d.loading = t.number_in("loading", -1.0, 1.0);
    } else if (t.has("loading")) {
      fail_at(t.require("loading"), t.key_path("loading"), "a loading needs a `factor` beside it");
    }
  }

  // A draw: a plain number (fixed) or a table { dist = "...", ... }.
  Dist parse_dist(TableReader& parent, std::string_view key, double lo, double hi, const Dist* fallback = nullptr) {
    if (!parent.has(key) && fallback) { parent.get(key); return *fallback; }
    const toml::node& n = parent.require(key);
    const std::string path = parent.key_path(key);
    Dist d;
    if (n.is_number()) {
      d = Dist::fixed(number_value(n, path));
    } else if (const auto tbl = n.as_table()) {
      TableReader t(*tbl, path);
      const std::string type = t.one_of("dist", {"fixed", "uniform", "triangular", "pert", "normal", "lognormal", "beta",
                                                 "bernoulli", "discrete", "empirical"}, "");
      using T = Dist::Type;
      if (type == "fixed") { d.type = T::Fixed; d.a = t.number("value"); }
      else if (type == "uniform") {
        d.type = T::Uniform; d.a = t.number("min"); d.b = t.number("max");
        if (!(d.a < d.b)) fail_at(*tbl, path, "uniform needs min < max");
      } else if (type == "triangular" || type == "pert") {
        d.type = type == "pert" ? T::Pert : T::Triangular;
        d.a = t.number("min"); d.b = t.number("mode"); d.c = t.number("max");
        if (!(d.a <= d.b && d.b <= d.c && d.a < d.c)) fail_at(*tbl, path, type + " needs min <= mode <= max and min < max");
      } else if (type == "normal") {
        d.type = T::Normal; d.a = t.number("mean"); d.b = t.number("sd");
        if (!(d.b > 0)) fail_at(t.require("sd"), path + ".sd", "expected sd > 0");
      } else if (type == "lognormal") {
        d.type = T::Lognormal;
        if (t.has("median") || t.has("p90")) {
          const double med = t.number("median"), p90 = t.number("p90");
          if (!(med > 0 && p90 > med)) fail_at(*tbl, path, "lognormal needs 0 < median < p90");
          d.a = std::log(med); d.b = (std::log(p90) - d.a) / kZ90;
        } else {
          d.a = t.number("mu"); d.b = t.number("sigma");
          if (!(d.b > 0)) fail_at(t.require("sigma"), path + ".sigma", "expected sigma > 0");
        }
      } else if (type == "beta") {
        d.type = T::Beta; d.a = t.number("alpha"); d.b = t.number("beta");
        d.c = t.number("min", 0.0); d.d = t.number("max", 1.0);
        if (!(d.a > 0 && d.b > 0)) fail_at(*tbl, path, "beta needs alpha > 0 and beta > 0");
        if (!(d.c < d.d)) fail_at(*tbl, path, "beta needs min < max");
      } else if (type == "bernoulli") {
        d.type = T::Bernoulli; d.a = t.number_in("p", 0.0, 1.0);
      } else {
        d.type = type == "discrete" ? T::Discrete : T::Empirical;
        d.values = t.numbers("values");
        d.probabilities = t.numbers("probabilities");
        check_table_dist(d, t, path);
      }
      parse_loading(t, d);
      t.finish();
    } else {
      fail_at(n, path, "expected a number or a distribution table { dist = \"...\" }, got " + type_name(n));
    }
    if (d.support_lo() < lo || d.support_hi() > hi) {
      std::ostringstream os;
      os << "the " << dist_type_name(d.type) << " draw ranges over [" << d.support_lo() << ", " << d.support_hi()
         << "], outside the allowed [" << lo << ", " << hi << "]";
      fail_at(n, path, os.str());
    }
    d.key = path;
    return d;
  }

  static void check_table_dist(const Dist& d, TableReader& t, const std::string& path) {
    const auto& p = d.probabilities;
    if (d.values.size() != p.size() || d.values.size() < (d.type == Dist::Type::Discrete ? 1u : 2u))
      fail_at(t.table(), path, "values and probabilities must have the same length (at least " +
                                   std::string(d.type == Dist::Type::Discrete ? "1" : "2") + ")");
    if (d.type == Dist::Type::Discrete) {
      double sum = 0;
      for (double q : p) {
        if (q < 0 || q > 1) fail_at(t.require("probabilities"), path + ".probabilities", "probabilities must lie in [0, 1]");
        sum += q;
      }
      if (std::fabs(sum - 1.0) > 1e-9) fail_at(t.require("probabilities"), path + ".probabilities", "probabilities must sum to 1");
    } else {
      if (p.front() != 0.0 || p.back() != 1.0)
        fail_at(t.require("probabilities"), path + ".probabilities", "empirical cumulative probabilities must run from 0 to 1");
      for (size_t i = 1; i < p.size(); ++i) {
        if (!(p[i] > p[i - 1])) fail_at(t.require("probabilities"), path + ".probabilities", "must be strictly increasing");
        if (d.values[i] < d.values[i - 1]) fail_at(t.require("values"), path + ".values", "quantiles must be non-decreasing");
      }
    }
  }

  // { probability, factor, loading } -> a Bernoulli draw.
  Dist parse_occurrence(TableReader& t) {
    Dist d;
    d.type = Dist::Type::Bernoulli;
    d.a = t.number_in("probability", 0.0, 1.0);
    parse_loading(t, d);
    return d;
  }

  void parse_run(const toml::table* tbl) {
    static const toml::table empty;
    TableReader r(tbl ? *tbl : empty, "run");
    auto& run = cfg_.run;
    if (r.has("start"))
      fail_at(r.require("start"), r.key_path("start"), "renamed: the discounting origin is now `valuation` (and the information cut `data_date`)");
    run.valuation = parse_date(r, "valuation", "2025-01");
    run.data_date = parse_date(r, "data_date", run.valuation.str());
    if (run.data_date.index() < run.valuation.index())
      fail_at(r.require("data_date"), r.key_path("data_date"), "expected a data date at or after the valuation date " + run.valuation.str());
    run.horizon_months = static_cast<int>(r.integer_in("horizon_months", 1, kMaxMonths, 96));
    run.paths = static_cast<std::uint64_t>(r.integer_in("paths", 1, static_cast<std::int64_t>(kMaxPaths), 100000));
    run.seed = static_cast<std::uint64_t>(r.integer_in("seed", 0, INT64_MAX, 20250101));
    run.batch = static_cast<std::uint64_t>(r.integer_in("batch", 0, std::int64_t{1} << 32, 0));
    r.finish();
  }

  // [["YYYY-MM", "YYYY-MM"], ...]: first and last month of each calendar window.
  static std::vector<std::pair<YearMonth, YearMonth>> windows(const toml::node& w, const std::string& path) {
    const auto* list = w.as_array();
    if (!list || list->empty() || list->size() > kMaxCapexWindows)
      fail_at(w, path, "expected 1 to kMaxCapexWindows = " + std::to_string(kMaxCapexWindows) +
                           " windows [\"YYYY-MM\", \"YYYY-MM\"] (first and last month)");
    std::vector<std::pair<YearMonth, YearMonth>> out;
    for (const auto& e : *list) {
      const auto* pair = e.as_array();
      if (!pair || pair->size() != 2) fail_at(e, path, "expected [\"YYYY-MM\", \"YYYY-MM\"] (first and last month)");
      const YearMonth first = date_node((*pair)[0], path), last = date_node((*pair)[1], path);
      if (last.index() < first.index()) fail_at(e, path, "a window's last month is before its first");
      for (const auto& [f, l] : out)
        if (f.index() == first.index() && l.index() == last.index()) fail_at(e, path, "duplicate window");
      out.emplace_back(first, last);
    }
    return out;
  }

  void parse_report(const toml::table* tbl) {
    if (!tbl) return;
    TableReader r(*tbl, "report");
    auto& rep = cfg_.report;
    if (const toml::node* w = r.get("capex_windows")) rep.capex_windows = windows(*w, "report.capex_windows");
    if (const toml::node* w = r.get("revenue_windows")) rep.revenue_windows = windows(*w, "report.revenue_windows");
    if (const toml::node* w = r.get("release_windows")) rep.release_windows = windows(*w, "report.release_windows");
    rep.required_revenue_margin = r.number_in("required_revenue_margin", 0.0, 0.99, 0.0);
    rep.cash_every_months = static_cast<int>(r.integer_in("cash_every_months", 0, kMaxMonths, 3));
    if (const toml::node* o = r.get("online_months")) {
      const auto* months = o->as_array();
      if (!months || months->empty() || months->size() > kMaxOnlineReports)
        fail_at(*o, "report.online_months", "expected 1 to kMaxOnlineReports = " + std::to_string(kMaxOnlineReports) + " months \"YYYY-MM\"");
      rep.online_months.clear();
      for (const auto& e : *months) {
        const YearMonth m = date_node(e, "report.online_months");
        for (const auto& seen : rep.online_months)
          if (seen.index() == m.index()) fail_at(e, "report.online_months", "duplicate month");
        rep.online_months.push_back(m);
      }
    }
    r.finish();
  }

  void parse_factors(const toml::table* tbl) {
    if (!tbl) return;
    TableReader r(*tbl, "factors");
    cfg_.factor_names = r.strings("names");
    const size_t n = cfg_.factor_names.size();
    if (n > kMaxFactors) fail_at(r.require("names"), "factors.names", "at most kMaxFactors = " + std::to_string(kMaxFactors) + " factors");
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < i; ++j)
        if (cfg_.factor_names[i] == cfg_.factor_names[j]) fail_at(r.require("names"), "factors.names", "duplicate factor \"" + cfg_.factor_names[i] + "\"");
    cfg_.correlation.assign(n * n, 0.0);
    for (size_t i = 0; i < n; ++i) cfg_.correlation[i * n + i] = 1.0;
    if (const toml::node* c = r.get("correlation")) {
      const auto rows = c->as_array();
      if (!rows || rows->size() != n) fail_at(*c, "factors.correlation", "expected " + std::to_string(n) + " rows, one per factor");
      for (size_t i = 0; i < n; ++i) {
        const auto row = (*rows)[i].as_array();
        if (!row || row->size() != n) fail_at((*rows)[i], "factors.correlation", "row " + std::to_string(i + 1) + ": expected " + std::to_string(n) + " numbers");
        for (size_t j = 0; j < n; ++j) {
          const auto& e = (*row)[j];
          cfg_.correlation[i * n + j] = number_value(e, "factors.correlation");
        }
      }
      for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < n; ++j) {
          const double v = cfg_.correlation[i * n + j];
          const std::string cell = "[" + std::to_string(i + 1) + "][" + std::to_string(j + 1) + "]";
          if (i == j && v != 1.0) fail_at(*c, "factors.correlation", "diagonal entry " + cell + " must be 1");
          if (std::fabs(v - cfg_.correlation[j * n + i]) > 1e-12) fail_at(*c, "factors.correlation", "not symmetric at " + cell);
          if (v < -1 || v > 1) fail_at(*c, "factors.correlation", "entry " + cell + " outside [-1, 1]");
        }
    }
    if (!cholesky(cfg_.correlation, n, cfg_.factor_cholesky))  // the identity always factors
      fail_at(r.require("correlation"), "factors.correlation",
              "matrix is not positive definite (Cholesky fails); check for inconsistent correlations");
    r.finish();
  }

  // Lower-triangular L with L L^T = a; false unless a is positive definite.
  static bool cholesky(const std::vector<double>& a, size_t n, std::vector<double>& l) {
    l.assign(n * n, 0.0);
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j <= i; ++j) {
        double s = a[i * n + j];
        for (size_t k = 0; k < j; ++k) s -= l[i * n + k] * l[j * n + k];
        if (i == j) {
          if (s <= 1e-12) return false;
          l[i * n + i] = std::sqrt(s);
        } else {
          l[i * n + j] = s / l[j * n + j];
        }
      }
    return true;
  }

  void parse_market(const toml::table& tbl) {
    TableReader r(tbl, "market");
    auto& m = cfg_.market;
    m.price_p0 = parse_dist(r, "price_p0_usd_per_hour", 0.0, kPriceUsdPerHour);
    m.price_decline = parse_dist(r, "price_decline_per_year", -kRatePerYear, kRatePerYear);
    m.demand_growth = parse_dist(r, "demand_growth_per_year", -kRatePerYear, kRatePerYear);
    m.elasticity = parse_dist(r, "elasticity", 0.0, kElasticity);
    m.gpu_price_index = parse_dist(r, "gpu_price_index", 0.0, kMultiplier);
    m.existing_capacity_h100eq = r.number_in("existing_capacity_h100eq", 1.0, kCapacityH100eq);
    m.hours_per_month = r.number_in("hours_per_month", 0.0, 744.0, 730.0);
    m.first_mover_tau_months = r.number_in("first_mover_tau_months", 0.0, kInf, 12.0);
    r.finish();
  }

  void parse_region(const std::string& id, const toml::node& n, const std::string& section) {
    TableReader r(as_table(n, section + "." + id), section + "." + id);
    cfg_.regions.push_back(Region{id, parse_dist(r, "power_usd_per_mwh", 0.0, kPowerUsdPerMwh)});
    r.finish();
  }

  void parse_accelerator(const std::string& id, const toml::node& n) {
    TableReader r(as_table(n, "accelerators." + id), "accelerators." + id);
    Accelerator a;
    a.id = id;
    a.h100eq_per_unit = r.number_in("h100_equivalents", 1e-9, kH100eqPerUnit);
    a.kw_per_unit = r.number_in("kw_per_unit", 0.0, kKwPerUnit);
    a.life_years = r.number_in("life_years", 1e-9, 100.0);
    a.price_usd = parse_dist(r, "price_usd", 0.0, kAcceleratorPriceUsd);
    const Dist none = Dist::fixed(0.0);
    a.other_it_usd = parse_dist(r, "other_it_usd", 0.0, kAcceleratorPriceUsd, &none);
    r.finish();
    cfg_.accelerators.push_back(a);
  }

  // What players and owners share: who they are, their discount rate and how they run capacity.
  Player parse_entity(TableReader& r, const std::string& id) {
    Player p;
    p.id = id;
    p.name = r.string("name", id);
    p.entity = r.string("entity", "");
    p.wacc = parse_dist(r, "wacc", -0.5, 1.0);
    p.utilisation = parse_dist(r, "utilisation", 0.0, 1.0);
    p.pue = parse_dist(r, "pue", 1.0, 5.0);
    p.om_share_per_year = r.number_in("om_share_per_year", 0.0, 1.0);
    return p;
  }

  void parse_player(const std::string& id, const toml::node& n) {
    const std::string path = "players." + id;
    TableReader r(as_table(n, path), path);
    Player p = parse_entity(r, id);
    p.training_months = parse_dist(r, "training_months", 0.0, kMonths);
    {
      TableReader s(r.subtable("frontier_success"), path + ".frontier_success");
      p.frontier_success = parse_occurrence(s);
      s.finish();
    }
    p.monetisation_pre = parse_dist(r, "monetisation_pre", 0.0, kMultiplier);
    p.monetisation_success = parse_dist(r, "monetisation_success", 0.0, kMultiplier);
    p.monetisation_fail = parse_dist(r, "monetisation_fail", 0.0, kMultiplier);
    p.rent_share = r.number_in("rent_share", 0.0, 1.0);
    p.frontier_threshold_h100eq = r.number_in("frontier_threshold_h100eq", 0.0, kInf);
    if (const toml::table* prog = r.optional_subtable("programme")) p.programme = parse_programme(*prog, path + ".programme");
    if (const toml::table* c = r.optional_subtable("customers")) p.customers = parse_customers(*c, path + ".customers");
    if (r.has("release_cadence_months")) {
      p.has_cadence = true;
      p.release_cadence_months = parse_dist(r, "release_cadence_months", 0.5, kMonths);
    }
    r.finish();
    cfg_.players.push_back(p);
  }

  CustomerCeiling parse_customers(const toml::table& tbl, const std::string& path) {
    TableReader r(tbl, path);
    CustomerCeiling c;
    c.present = true;
    // Without a backlog (a consumer business) the ceiling is the spend alone.
    const Dist none = Dist::fixed(0.0), all = Dist::fixed(1.0), a_year = Dist::fixed(12.0);
    c.backlog_usd_b = parse_dist(r, "backlog_usd_b", 0.0, kCapexUsdB, &none);
    c.backlog_ai_share = parse_dist(r, "backlog_ai_share", 0.0, 1.0, &all);
    c.backlog_months = parse_dist(r, "backlog_months", 1.0, kMonths, &a_year);
    c.spend_usd_b_per_year = parse_dist(r, "spend_usd_b_per_year", 0.0, kCapexUsdB);
    r.finish();
    return c;
  }

  // An owner: an entity with its own WACC and operating draws, no model releases.
  void parse_owner(const std::string& id, const toml::node& n) {
    const std::string path = "owners." + id;
    if (index_of(cfg_.players, id) >= 0) fail_at(n, path, "\"" + id + "\" is already a player: owners and players need distinct ids");
    TableReader r(as_table(n, path), path);
    Player p = parse_entity(r, id);
    p.is_owner = true;
    r.finish();
    // It sells what it does not contract at the market price, and never trains a frontier model.
    p.training_months = p.monetisation_pre = p.monetisation_success = p.monetisation_fail = Dist::fixed(0.0);
    p.frontier_success = Dist::fixed(0.0);
    p.rent_share = 1.0;
    p.frontier_threshold_h100eq = std::numeric_limits<double>::infinity();
    cfg_.players.push_back(p);
  }

  void parse_contract(const std::string& id, const toml::node& n) {
    const std::string path = "contracts." + id;
    TableReader r(as_table(n, path), path);
    Contract c;
    c.id = id;
    c.key = path;
    c.buyer = resolve(r, "buyer", cfg_.players, "players");
    if (cfg_.players[c.buyer].is_owner)
      fail_at(r.require("buyer"), r.key_path("buyer"), "the buyer must be a player, not an owner: an owner's capacity earns only at the market or under contracts");
    c.site = r.string("site");
    int seller = -1;
    for (const auto& s : cfg_.sites)
      if (s.site_id == c.site) seller = s.player;
    if (seller < 0) fail_at(r.require("site"), r.key_path("site"), "unknown site \"" + c.site + "\" (not under [sites])");
    c.seller = seller;
    if (c.seller == c.buyer)
      fail_at(r.require("site"), r.key_path("site"), "site \"" + c.site + "\" belongs to the buyer already: a contract moves capacity between two entities");
    c.share = r.number_in("share", 1e-9, 1.0, 1.0);
    c.market_price = !r.has("price_usd_per_h100eq_hour");
    if (!c.market_price) c.price_usd_per_h100eq_hour = parse_dist(r, "price_usd_per_h100eq_hour", 0.0, kPriceUsdPerHour);
    c.term_months = r.number_in("term_months", 0.0, kMonths);
    c.has_start = r.has("start");
    if (c.has_start) c.start = parse_date(r, "start", "");
    r.finish();
    for (const auto& other : cfg_.contracts)
      if (other.site == c.site && other.buyer == c.buyer)
        fail_at(n, path, "site \"" + c.site + "\" is already contracted to this buyer by contracts." + other.id);
    cfg_.contracts.push_back(c);
  }

  Programme parse_programme(const toml::table& tbl, const std::string& path) {
    TableReader r(tbl, path);
    Programme g;
    g.present = true;
    g.ai_share = r.number_in("ai_share", 0.0, 1.0);
    g.capex_basis = r.one_of("capex_basis", {"cash", "incl_finance_leases"}, "");
    g.accelerator = resolve(r, "accelerator", cfg_.accelerators, "accelerators");
    if (!(cfg_.accelerators[g.accelerator].kw_per_unit > 0))
      fail_at(r.require("accelerator"), r.key_path("accelerator"), "a programme's accelerator needs kw_per_unit > 0 (capacity is sized from power)");
    g.region = resolve(r, "region", cfg_.regions, "regions");
    g.usd_b_per_gw = parse_dist(r, "usd_b_per_gw", kMinUsdBPerGw, kUsdBPerGw);
    g.lag_months = parse_dist(r, "lag_months", 0.0, kMonths);
    g.accelerator_share = r.number_in("accelerator_share", 0.0, 1.0);
    g.facility_life_years = r.number_in("facility_life_years", 1e-9, 100.0, 20.0);
    g.finance_lease_share = r.number_in("finance_lease_share", 0.0, 1.0, 0.0);
    if (g.finance_lease_share > 0) {
      if (g.capex_basis != "incl_finance_leases")
        fail_at(r.require("finance_lease_share"), r.key_path("finance_lease_share"),
                "finance leases are part of the reported capex only with capex_basis = \"incl_finance_leases\"");
      g.finance_lease_rate = r.number_in("finance_lease_rate", 0.0, 1.0);
      g.finance_lease_term_years = r.number_in("finance_lease_term_years", 1.0 / 12.0, 100.0);
    }
    if (const toml::node* n = r.get("guidance")) {
      const auto* entries = n->as_array();
      if (!entries) fail_at(*n, path + ".guidance", "expected an array of { from, to, usd_b, guided_usd_b } tables");
      for (const auto& e : *entries) {
        TableReader t(as_table(e, path + ".guidance"), path + ".guidance");
        CapexPeriod c = capex_period(t, e);
        c.key = path + ".guidance." + c.first.str() + ".usd_b";
        c.usd_b = parse_dist(t, "usd_b", 0.0, kCapexUsdB);
        if (t.has("guided_usd_b")) {  // absent: no company statement, the draw is the modeller's
          const std::vector<double> range = t.numbers("guided_usd_b");
          if (range.size() != 2 || !(range[0] >= 0 && range[0] <= range[1]))
            fail_at(t.require("guided_usd_b"), path + ".guidance.guided_usd_b", "expected [low, high] in $B with 0 <= low <= high (a point figure: [x, x])");
          c.guided = true;
          c.guided_lo = range[0];
          c.guided_hi = range[1];
        }
        t.finish();
        if (c.first.index() < cfg_.run.data_date.index())
          fail_at(e, path + ".guidance", "guidance from " + c.first.str() + " is before the data date " + cfg_.run.data_date.str() +
                                             ": what happened before it belongs under [actuals] capex");
        add_period(g, c, e, path + ".guidance");
      }
    }
    r.finish();
    return g;
  }

  // { from, to } spanning whole quarters.
  static CapexPeriod capex_period(TableReader& t, const toml::node& e) {
    const std::string& path = t.path();
    CapexPeriod c;
    c.first = parse_date(t, "from", "");
    c.last = parse_date(t, "to", "");
    if ((c.first.month - 1) % 3 != 0 || c.last.month % 3 != 0 || c.last.index() < c.first.index())
      fail_at(e, path, "expected whole calendar quarters: `from` in Jan/Apr/Jul/Oct, `to` in Mar/Jun/Sep/Dec, not before `from` (got " +
                           c.first.str() + " to " + c.last.str() + ")");
    return c;
  }

  static void add_period(Programme& g, CapexPeriod c, const toml::node& at, const std::string& path) {
    for (const auto& o : g.periods)
      if (c.first.index() <= o.last.index() && o.first.index() <= c.last.index())
        fail_at(at, path, "quarters overlap: " + c.first.str() + " to " + c.last.str() + " and " + o.first.str() + " to " + o.last.str() +
                              " (" + (o.actual ? "an actual" : "guidance") + ")");
    g.periods.push_back(std::move(c));
    std::sort(g.periods.begin(), g.periods.end(), [](const CapexPeriod& a, const CapexPeriod& b) { return a.first.index() < b.first.index(); });
  }

  // [actuals]: what happened before the data date.
  const toml::array& entries_of(TableReader& r, std::string_view key, const std::string& expected) {
    const toml::node& n = r.require(key);
    const auto* entries = n.as_array();
    if (!entries) fail_at(n, r.key_path(key), "expected an array of " + expected + " tables");
    return *entries;
  }

  // An actual's date: before the data date.
  YearMonth actual_date(TableReader& t) {
    const YearMonth d = parse_date(t, "date", "");
    if (d.index() >= cfg_.run.data_date.index())
      fail_at(t.require("date"), t.key_path("date"), "an actual dated " + d.str() + " is at or after the data date " + cfg_.run.data_date.str());
    return d;
  }

  void parse_actual_phases(TableReader& r) {
    if (!r.has("phases_online")) return;
    for (const auto& e : entries_of(r, "phases_online", "{ site, phase, date, it_mw, accelerator_count }")) {
      TableReader t(as_table(e, "actuals.phases_online"), "actuals.phases_online");
      const std::string site = t.string("site");
      const std::string phase = t.string("phase", "");
      const std::string unit = phase.empty() ? site : site + "/" + phase;
      Site* u = nullptr;
      bool phased = false;
      for (auto& s : cfg_.sites) {
        if (s.id == unit) u = &s;
        phased |= s.site_id == site && !s.phase_id.empty();
      }
      if (!u) {
        if (phased && phase.empty()) fail_at(t.require("site"), "actuals.phases_online.phase", "site \"" + site + "\" has phases: name the one that came online");
        fail_at(t.require(phase.empty() ? "site" : "phase"), std::string("actuals.phases_online.") + (phase.empty() ? "site" : "phase"),
                "unknown " + std::string(phase.empty() ? "site \"" + site : "phase \"" + unit) + "\" (not under [sites])");
      }
      if (u->online_actual) fail_at(e, "actuals.phases_online", "\"" + unit + "\" is online once: a second entry for it");
      u->online_actual = true;
      u->online_date = actual_date(t);
      if (u->online_date.index() < u->construction_start.index())
        fail_at(t.require("date"), "actuals.phases_online.date",
                "\"" + unit + "\" online " + u->online_date.str() + ", before its construction start " + u->construction_start.str());
      u->it_mw = t.number_in("it_mw", 1e-9, kSiteMw, u->it_mw);
      u->accelerator_count = t.number_in("accelerator_count", 0.0, kAcceleratorCount, u->accelerator_count);
      t.finish();
    }
  }

  void parse_actual_releases(TableReader& r) {
    if (!r.has("releases")) return;
    for (const auto& e : entries_of(r, "releases", "{ player, date, model, unlocked }")) {
      TableReader t(as_table(e, "actuals.releases"), "actuals.releases");
      Player& p = cfg_.players[resolve(t, "player", cfg_.players, "players")];
      if (p.is_owner) fail_at(t.require("player"), "actuals.releases.player", "\"" + p.id + "\" is an owner: owners release no models");
      ActualRelease a;
      a.date = actual_date(t);
      a.model = t.string("model");
      a.unlocked = t.boolean("unlocked");
      t.finish();
      p.releases.push_back(a);
      std::stable_sort(p.releases.begin(), p.releases.end(), [](const ActualRelease& x, const ActualRelease& y) { return x.date.index() < y.date.index(); });
    }
  }

  void parse_actual_capex(TableReader& r) {
    if (const toml::node* n = r.get("capex")) {
      const auto* entries = n->as_array();
      if (!entries) fail_at(*n, "actuals.capex", "expected an array of { player, from, to, usd_b } tables");
      for (const auto& e : *entries) {
        TableReader t(as_table(e, "actuals.capex"), "actuals.capex");
        CapexPeriod c = capex_period(t, e);
        const int p = resolve(t, "player", cfg_.players, "players");
        c.actual = true;
        c.usd_b = Dist::fixed(t.number_in("usd_b", 0.0, kCapexUsdB));
        c.key = "actuals.capex." + cfg_.players[p].id + "." + c.first.str() + ".usd_b";
        t.finish();
        if (c.last.index() >= cfg_.run.data_date.index())
          fail_at(e, "actuals.capex", "an actual through " + c.last.str() + " is dated at or after the data date " + cfg_.run.data_date.str());
        Programme& g = cfg_.players[p].programme;
        if (!g.present)
          fail_at(e, "actuals.capex", "player \"" + cfg_.players[p].id + "\" has no [players." + cfg_.players[p].id +
                                          ".programme] to carry its actual capex");
        add_period(g, c, e, "actuals.capex");
      }
    }
  }

  void parse_site(const std::string& id, const toml::node& n) {
    const std::string path = "sites." + id;
    TableReader r(as_table(n, path), path);
    Site s;
    s.id = s.site_id = id;
    s.name = r.string("name", id);
    s.player = resolve(r, "player", cfg_.players, "players] or [owners");  // the entity that owns it and pays for it
    s.accelerator = resolve(r, "accelerator", cfg_.accelerators, "accelerators");
    s.region = resolve(r, "region", cfg_.regions, "regions");
    const toml::table* phases = r.optional_subtable("phases");
    if (phases) {
      for (const char* key : {"it_mw", "accelerator_count", "planned_ready"})
        if (r.has(key)) fail_at(r.require(key), r.key_path(key), "a site with phases gives it_mw, accelerator_count and planned_ready per phase");
      if (phases->empty()) fail_at(*phases, path + ".phases", "expected at least one phase");
    } else {
      s.it_mw = r.number_in("it_mw", 1e-9, kSiteMw);
      s.accelerator_count = r.number_in("accelerator_count", 0.0, kAcceleratorCount);
    }
    s.own = r.one_of("ownership", {"own", "lease"}, "own") == "own";
    s.construction_start = parse_date(r, "construction_start", "");
    if (!phases) {
      s.planned_ready = parse_date(r, "planned_ready", "");
      if (s.planned_ready.index() < s.construction_start.index())
        fail_at(r.require("planned_ready"), r.key_path("planned_ready"), "planned_ready is before construction_start");
    }
    s.cost_per_mw_usd_m = parse_dist(r, "cost_per_mw_usd_m", 0.0, kCostPerMwUsdM);
    s.facility_life_years = r.number_in("facility_life_years", 1e-9, 100.0, 20.0);
    s.lease_yield = r.number_in("lease_yield", 0.0, 1.0, 0.10);
    s.lease_escalator = r.number_in("lease_escalator", -0.5, 1.0, 0.025);
    s.lease_term_years = r.number_in("lease_term_years", 0.0, kMaxLeaseTermYears, 15.0);

    toml::table construction = *construction_;
    record_copy_sources(*construction_, construction);
    if (const toml::table* o = r.optional_subtable("construction")) deep_merge(construction, *o);
    parse_construction(construction, s, path + ".construction");
    toml::table supply = *supply_;
    record_copy_sources(*supply_, supply);
    if (const toml::table* o = r.optional_subtable("supply")) deep_merge(supply, *o);
    parse_supply(supply, s, path + ".supply");

    s.template_name = r.string("template");
    const toml::node* tmpl = templates_->get(s.template_name);
    if (!tmpl) fail_at(r.require("template"), r.key_path("template"), "unknown template \"" + s.template_name + "\" (not under [templates])");
    toml::table network = as_table(*tmpl, "templates." + s.template_name);
    record_copy_sources(*tmpl, network);
    if (const toml::table* o = r.optional_subtable("network")) deep_merge(network, *o);
    r.finish();
    if (!phases) {
      s.network = site_network(network, s, path);
      cfg_.sites.push_back(std::move(s));
      return;
    }

    std::vector<Site> units;
    for (const auto& [k, v] : *phases) {
      const std::string pid(k.str()), ppath = path + ".phases." + pid;
      TableReader q(as_table(v, ppath), ppath);
      if (pid == "first") fail_at(v, ppath, "\"first\" is reserved: sites.csv names the site's first phase online so");
      Site u = s;
      u.phase_id = pid;
      u.id = id + "/" + pid;
      u.name = s.name + ", " + q.string("name", pid);
      if (q.has("accelerator")) u.accelerator = resolve(q, "accelerator", cfg_.accelerators, "accelerators");
      u.it_mw = q.number_in("it_mw", 1e-9, kSiteMw);
      u.accelerator_count = q.number_in("accelerator_count", 0.0, kAcceleratorCount);
      u.construction_start = parse_date(q, "construction_start", s.construction_start.str());
      u.planned_ready = parse_date(q, "planned_ready", "");
      if (u.planned_ready.index() < u.construction_start.index())
        fail_at(q.require("planned_ready"), q.key_path("planned_ready"), "planned_ready is before construction_start");
      if (q.has("after")) {
        TableReader a(q.subtable("after"), ppath + ".after");
        u.after_phase = a.string("phase");
        u.after_lag_months = a.number_in("lag_months", -kMonths, kMonths, 0.0);
        if (!phases->contains(u.after_phase))
          fail_at(a.require("phase"), a.key_path("phase"), "unknown phase \"" + u.after_phase + "\" (not under " + path + ".phases)");
        a.finish();
      }
      toml::table phase_network = network;
      record_copy_sources(network, phase_network);
      if (const toml::table* o = q.optional_subtable("network")) deep_merge(phase_network, *o);
      q.finish();
      u.network = site_network(phase_network, u, ppath);
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
        fail_at(*phases->get(units[i].phase_id), path + ".phases." + units[i].phase_id + ".after",
                "a phase can follow only a phase planned ready before it (\"" + units[i].after_phase + "\" is not)");
    }
    for (auto& u : units) cfg_.sites.push_back(std::move(u));
  }

  // Keys are named as written in the template; the line points at the template
  // or at this site's override, whichever the value came from.
  Network site_network(const toml::table& network, const Site& s, const std::string& path) {
    try {
      return parse_network(network, "templates." + s.template_name);
    } catch (const ConfigError& e) {
      throw ConfigError(std::string(e.what()) + " (in the network of " + path + ": template \"" + s.template_name +
                        "\" with the site's overrides)");
    }
  }

  template <class T>
  int resolve(TableReader& r, std::string_view key, const std::vector<T>& items, const std::string& section) {
    const std::string name = r.string(key);
    const int i = index_of(items, name);
    if (i < 0) fail_at(r.require(key), r.key_path(key), "unknown " + std::string(key) + " \"" + name + "\" (not under [" + section + "])");
    return i;
  }

  void parse_construction(const toml::table& tbl, Site& s, const std::string& path) {
    TableReader r(tbl, path);
    s.labor_share = r.number_in("labor_share", 0.0, 1.0);
    s.materials_share = r.number_in("materials_share", 0.0, 1.0);
    s.equipment_share = r.number_in("equipment_share", 0.0, 1.0);
    if (s.labor_share + s.materials_share + s.equipment_share > 1.0 + 1e-12)
      fail_at(tbl, path, "labor_share + materials_share + equipment_share must not exceed 1");
    s.escalation_per_month = r.number_in("escalation_per_month", 0.0, 1.0);
    s.labor_index = parse_dist(r, "labor_index", 0.0, kMultiplier);
    s.materials_index = parse_dist(r, "materials_index", 0.0, kMultiplier);
    s.equipment_index = parse_dist(r, "equipment_index", 0.0, kMultiplier);
    const Dist none = Dist::fixed(0.0);
    s.owner_furnished_usd_m_per_mw = parse_dist(r, "owner_furnished_usd_m_per_mw", 0.0, kCostPerMwUsdM, &none);
    r.finish();
  }

  void parse_supply(const toml::table& tbl, Site& s, const std::string& path) {
    TableReader r(tbl, path);
    s.allocation = parse_dist(r, "allocation", 0.0, 1.0);
    s.late_delivery_months = parse_dist(r, "late_delivery_months", 0.0, kMonths);
    s.ramp_months = parse_dist(r, "ramp_months", 0.0, kMonths);
    s.planned_ramp_months = r.number_in("planned_ramp_months", 0.0, kMonths);
    r.finish();
  }

  // Unused templates are still validated, so a typo in one is caught.
  void validate_templates() {
    for (const auto& [name, node] : *templates_) {
      if (!node.is_table()) fail_at(node, "templates." + std::string(name.str()), "expected a table, got " + type_name(node));
      bool used = false;
      for (const auto& s : cfg_.sites) used |= s.template_name == name.str();
      if (!used) parse_network(*node.as_table(), "templates." + std::string(name.str()));
    }
  }

  Network parse_network(const toml::table& tbl, const std::string& path) {
    TableReader r(tbl, path);
    Network net;
    if (const toml::table* drivers = r.optional_subtable("drivers")) {
      TableReader d(*drivers, path + ".drivers");
      for (const auto& [k, v] : *drivers) {
        net.driver_names.push_back(std::string(k.str()));
        net.drivers.push_back(parse_dist(d, std::string(k.str()), 0.0, kMultiplier));
      }
      d.finish();
    }
    const toml::table& acts = r.subtable("activities");
    if (acts.empty()) fail_at(acts, path + ".activities", "expected at least one activity");
    std::vector<std::string> ids;
    for (const auto& [k, v] : acts) ids.push_back(std::string(k.str()));
    auto find_id = [&](const std::string& id) { return static_cast<int>(std::find(ids.begin(), ids.end(), id) - ids.begin()); };

    std::vector<Activity> parsed;
    for (const auto& [k, v] : acts) {
      const std::string apath = path + ".activities." + std::string(k.str());
      TableReader a(as_table(v, apath), apath);
      Activity act;
      act.id = std::string(k.str());
      a.string("name", act.id);
      act.duration = parse_dist(a, "duration", 0.0, kMonths);
      if (const toml::node* preds = a.get("predecessors")) {
        const auto arr = preds->as_array();
        if (!arr) fail_at(*preds, apath + ".predecessors", "expected an array of activity ids or { id, lag } tables");
        for (const auto& e : *arr) {
          std::string pid;
          double lag = 0;
          if (const auto s = e.as_string()) pid = s->get();
          else if (const auto t = e.as_table()) {
            TableReader pt(*t, apath + ".predecessors");
            pid = pt.string("id");
            lag = pt.number_in("lag", -kMonths, kMonths, 0.0);
            pt.finish();
          } else fail_at(e, apath + ".predecessors", "expected an activity id or { id, lag }, got " + type_name(e));
          const int pi = find_id(pid);
          if (pi == static_cast<int>(ids.size()))
            fail_at(e, apath + ".predecessors", "unknown predecessor \"" + pid + "\" (not an activity of this network)");
          if (pid == act.id) fail_at(e, apath + ".predecessors", "an activity cannot precede itself");
          act.predecessors.push_back(pi);
          act.lags.push_back(lag);
        }
      }
      for (const auto& dn : a.strings("drivers")) {
        const auto it = std::find(net.driver_names.begin(), net.driver_names.end(), dn);
        if (it == net.driver_names.end()) fail_at(a.require("drivers"), apath + ".drivers", "unknown driver \"" + dn + "\" (not under " + path + ".drivers)");
        act.drivers.push_back(static_cast<int>(it - net.driver_names.begin()));
      }
      a.finish();
      parsed.push_back(std::move(act));
    }
    if (parsed.size() > kMaxActivities)
      fail_at(acts, path + ".activities", "at most kMaxActivities = " + std::to_string(kMaxActivities) + " activities per network");
    if (net.drivers.size() > kMaxDrivers)
      fail_at(tbl, path + ".drivers", "at most kMaxDrivers = " + std::to_string(kMaxDrivers) + " drivers per network");

    const std::vector<int> order = topological_order(parsed, acts, path);
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
      if (i == static_cast<int>(ids.size())) fail_at(r.require("terminal"), path + ".terminal", "unknown activity \"" + t + "\"");
      net.terminal = position[i];
    } else {
      std::vector<std::string> sinks;
      for (size_t i = 0; i < net.activities.size(); ++i)
        if (!has_successor[i]) { sinks.push_back(net.activities[i].id); net.terminal = static_cast<int>(i); }
      if (sinks.size() > 1) {
        std::string list;
        for (const auto& s : sinks) list += (list.empty() ? "" : ", ") + s;
        fail_at(tbl, path + ".terminal", "several activities have no successor (" + list + "); set `terminal` to the one that makes the site ready");
      }
    }

    if (const toml::table* risks = r.optional_subtable("risks")) {
      for (const auto& [k, v] : *risks) {
        const std::string rpath = path + ".risks." + std::string(k.str());
        TableReader e(as_table(v, rpath), rpath);
        RiskEvent ev;
        ev.id = std::string(k.str());
        e.string("name", ev.id);
        ev.occurs = parse_occurrence(e);
        Dist zero = Dist::fixed(0.0);
        ev.delay_months = parse_dist(e, "delay_months", 0.0, kMonths, &zero);
        ev.cost_usd_m = parse_dist(e, "cost_usd_m", 0.0, kEventCostUsdM, &zero);
        const auto hits = e.strings("hits");
        for (const auto& h : hits) {
          const int i = find_id(h);
          if (i == static_cast<int>(ids.size())) fail_at(e.require("hits"), rpath + ".hits", "unknown activity \"" + h + "\"");
          ev.hits.push_back(position[i]);
        }
        if (hits.empty() && !(ev.delay_months.is_fixed() && ev.delay_months.a == 0.0))
          fail_at(v, rpath + ".hits", "an event with a delay must name the activities it hits");
        e.finish();
        net.risks.push_back(std::move(ev));
      }
    }
    r.finish();
    return net;
  }

  // Kahn's algorithm, ties in id order; on a cycle, names one.
  static std::vector<int> topological_order(const std::vector<Activity>& acts, const toml::table& at, const std::string& path) {
    const size_t n = acts.size();
    std::vector<int> indegree(n, 0), order;
    for (size_t i = 0; i < n; ++i) indegree[i] = static_cast<int>(acts[i].predecessors.size());
    std::vector<bool> done(n, false);
    while (order.size() < n) {
      int next = -1;
      for (size_t i = 0; i < n && next < 0; ++i)
        if (!done[i] && indegree[i] == 0) next = static_cast<int>(i);
      if (next < 0) break;
      done[next] = true;
      order.push_back(next);
      for (size_t i = 0; i < n; ++i)
        for (int p : acts[i].predecessors)
          if (p == next) --indegree[i];
    }
    if (order.size() == n) return order;
    // Walk predecessors among the unfinished ones until one repeats.
    int cur = 0;
    while (done[cur]) ++cur;
    std::vector<int> walk;
    while (std::find(walk.begin(), walk.end(), cur) == walk.end()) {
      walk.push_back(cur);
      for (int p : acts[cur].predecessors)
        if (!done[p]) { cur = p; break; }
    }
    std::string cycle = acts[cur].id;
    for (auto it = std::find(walk.begin(), walk.end(), cur) + 1; it != walk.end(); ++it) cycle = acts[*it].id + " -> " + cycle;
    cycle = acts[cur].id + " -> " + cycle;
    fail_at(at, path + ".activities", "cycle in the schedule network: " + cycle);
  }

  // P(t) = P0 exp((e g - d) y) S^-e: the trend and the supply shortfall are
  // bounded from the draws' supports, so that no path's price, and no cash
  // flow built on it, can overflow (value_bounds.hpp).
  void check_price_rise() const {
    const Market& mk = cfg_.market;
    const double e_lo = mk.elasticity.support_lo(), e_hi = mk.elasticity.support_hi();
    const double g_hi = mk.demand_growth.support_hi();
    const double trend = std::max(e_hi * g_hi, e_lo * g_hi) - mk.price_decline.support_lo();
    double planned = 0.0;
    for (const auto& site : cfg_.sites) planned += site.accelerator_count * cfg_.accelerators[site.accelerator].h100eq_per_unit;
    for (const auto& p : cfg_.players) planned += programme_capacity_bound(p.programme);
    const double shortfall = (mk.existing_capacity_h100eq + planned) / mk.existing_capacity_h100eq;
    const double years = cfg_.run.horizon_months / 12.0;
    const double rise_log10 = std::max(trend, 0.0) * years / std::log(10.0) + e_hi * std::log10(shortfall);
    if (rise_log10 <= kPriceRiseLog10) return;
    std::ostringstream os;
    os << "with market.demand_growth_per_year, market.price_decline_per_year and market.existing_capacity_h100eq, the price "
       << "can rise up to 1e" << std::lround(rise_log10) << "-fold over the " << cfg_.run.horizon_months
       << "-month horizon (trend e*g - d up to " << trend << " per year; capacity shortfall up to " << shortfall
       << "-fold, raised to the elasticity); at most 1e" << kPriceRiseLog10
       << " keeps cash flows finite: narrow these draws or raise existing_capacity_h100eq";
    fail_at(*market_->get("elasticity"), "market.elasticity", os.str());
  }

  // The most H100-eq a programme can bring online: every period at its
  // largest spend, at the lowest cost per GW.
  double programme_capacity_bound(const Programme& g) const {
    if (!g.present) return 0.0;
    const Accelerator& acc = cfg_.accelerators[g.accelerator];
    double usd_b = 0.0;
    for (const auto& c : g.periods) usd_b += c.usd_b.support_hi();
    return g.ai_share * usd_b / g.usd_b_per_gw.support_lo() * 1e6 / acc.kw_per_unit * acc.h100eq_per_unit;
  }

  void finalize_sites(const toml::table& sites) {
    if (cfg_.sites.size() > kMaxSites) fail_at(sites, "sites", "at most kMaxSites = " + std::to_string(kMaxSites) + " sites");
    if (cfg_.players.size() > kMaxPlayers)
      throw ConfigError(cfg_.source + ": players: at most kMaxPlayers = " + std::to_string(kMaxPlayers) + " players");
    std::stable_sort(cfg_.sites.begin(), cfg_.sites.end(), [](const Site& a, const Site& b) { return a.player < b.player; });
    for (size_t p = 0; p < cfg_.players.size(); ++p) {
      const Programme& g = cfg_.players[p].programme;
      if (g.present && g.periods.empty())
        throw ConfigError(cfg_.source + ": players." + cfg_.players[p].id + ".programme: no capex periods (give `guidance`, or capex under [actuals])");
      bool any = g.present;
      for (const auto& s : cfg_.sites) any |= s.player == static_cast<int>(p);
      if (!any && cfg_.players[p].is_owner)
        throw ConfigError(cfg_.source + ": owners." + cfg_.players[p].id + ": owns no site (give a site `player = \"" + cfg_.players[p].id + "\"`)");
      if (!any)
        throw ConfigError(cfg_.source + ": players." + cfg_.players[p].id + ": nothing belongs to this player (add a site under [sites] or a programme)");
    }
  }
};

Config finish_parse(const toml::table& root, const std::string& source) {
  Config cfg;
  cfg.source = source;
  std::ostringstream canonical;
  canonical << toml::toml_formatter(root);
  cfg.hash = fnv1a64_hex(canonical.str());
  require_finite_numbers(root);
  Parser(cfg).parse(root);
  return cfg;
}

}  // namespace

Config load_config_file(const std::string& path) {
  forget_copy_sources();
  std::vector<std::string> chain;
  return finish_parse(load_with_extends(path, chain), path);
}

Config load_config_text(const std::string& text, const std::string& source_name) {
  forget_copy_sources();
  toml::table root = parse_toml_text(text, source_name);
  if (root.contains("extends")) fail_at(*root.get("extends"), "extends", "`extends` needs a config file on disk");
  return finish_parse(root, source_name);
}

}  // namespace buildout
