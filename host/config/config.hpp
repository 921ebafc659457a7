#pragma once
// The validated configuration: what the user said, with names resolved and
// every value checked. host/model/compile_model.cpp flattens it for the kernels.
#include <cstdint>
#include <string>
#include <vector>

namespace buildout {

struct Dist {
  enum class Type { Fixed, Uniform, Triangular, Pert, Normal, Lognormal, Beta, Bernoulli, Discrete, Empirical };
  Type type = Type::Fixed;
  // fixed: a; uniform: a..b; triangular/pert: a min, b mode, c max;
  // normal: a mean, b sd; lognormal: a mu, b sigma; beta: a alpha, b beta on [c, d];
  // bernoulli: a = p; discrete/empirical: values with probabilities.
  double a = 0, b = 0, c = 0, d = 0;
  std::vector<double> values, probabilities;
  int factor = -1;  // index into Config::factor_names
  double loading = 0;
  // The config key path it was read at (templates.<id>.activities.<a>.duration for a network's
  // draw); empty for a default the config does not write, or one that is not read by key.
  std::string key;
  // The values a draw can take; normal scores are truncated at kMaxNormalScore.
  double support_lo() const;
  double support_hi() const;
  double mean() const;  // analytic, for `validate` and tests
  bool is_fixed() const { return type == Type::Fixed; }
  static Dist fixed(double v) { Dist d; d.a = v; return d; }
};
const char* dist_type_name(Dist::Type t);

struct YearMonth {
  int year = 2025, month = 1;
  int index() const { return year * 12 + (month - 1); }
  std::string str() const;
};

struct Activity {
  std::string id;
  Dist duration;  // months
  std::vector<int> predecessors;
  std::vector<double> lags;
  std::vector<int> drivers;  // indices into Network::driver_names
};

struct RiskEvent {
  std::string id;
  Dist occurs;  // Bernoulli, may load on a factor
  Dist delay_months, cost_usd_m;
  std::vector<int> hits;  // activity indices
};

struct Network {
  std::vector<std::string> driver_names;
  std::vector<Dist> drivers;
  std::vector<Activity> activities;  // topological order
  std::vector<RiskEvent> risks;
  int terminal = 0;
};

struct Accelerator {
  std::string id;
  double h100eq_per_unit, kw_per_unit, life_years;
  Dist price_usd;     // the chip's share of its server, scaled by the GPU price index
  Dist other_it_usd;  // networking, storage and CPU servers per unit
};

struct Region {
  std::string id;
  Dist power_usd_per_mwh;
};

// A span of whole quarters of a player's capex: an actual (from [actuals],
// before the data date: a fixed amount) or guidance (after it: a draw, with
// the range the company stated).
struct CapexPeriod {
  YearMonth first, last;  // both months included
  Dist usd_b;             // the player's total capex in the period, before its AI share
  bool actual = false;
  bool guided = false;                  // guidance with a stated range (guided_usd_b)
  double guided_lo = 0, guided_hi = 0;  // the stated range, $B
  std::string key;        // config key path of usd_b, which its draw stream is keyed by
};

// The player's 2025-26 programme beyond its named sites: a fleet of monthly
// cohorts whose spend is what the books say less what the named sites spend,
// turning into capacity after a drawn lag (docs/MODEL.md 9).
struct Programme {
  bool present = false;
  double ai_share = 1;          // AI datacenter share of reported capex
  std::string capex_basis;      // "cash" or "incl_finance_leases"
  int accelerator = 0, region = 0;
  Dist usd_b_per_gw;            // all-in cost per GW of IT load
  Dist lag_months;              // spend -> capacity online
  double accelerator_share = 0; // share of the spend depreciated over the accelerators' life
  double facility_life_years = 20;
  // The share of the reported capex acquired under finance leases (basis
  // incl_finance_leases only), paid over the lease at its rate.
  double finance_lease_share = 0, finance_lease_rate = 0, finance_lease_term_years = 0;
  std::vector<CapexPeriod> periods;  // in time order, none overlapping
};

// What the player's customers can pay for AI capacity per month, a ceiling on
// its modelled revenue: the contracted backlog at the data date (its AI share,
// recognised evenly over its term from the data date) plus their spend beyond
// it, growing with the market's demand. Absent: no ceiling.
struct CustomerCeiling {
  bool present = false;
  Dist backlog_usd_b, backlog_ai_share, backlog_months, spend_usd_b_per_year;
};

// A frontier release before the data date, from [actuals] releases.
struct ActualRelease {
  YearMonth date;
  std::string model;
  bool unlocked = false;  // it unlocked new revenue (the model's "success")
};

// A player (one of the five) or an owner (an entity that owns sites and sells
// their compute under contracts: Oracle). Owners have no releases, programme or
// customers' ceiling; their capacity outside contracts is rented at the market.
struct Player {
  std::string id, name;
  std::string entity;  // what the row stands for, for the headline; empty: the name alone
  bool is_owner = false;
  Dist wacc, utilisation, pue, training_months, frontier_success;
  Dist monetisation_pre, monetisation_success, monetisation_fail;
  double rent_share, om_share_per_year, frontier_threshold_h100eq;
  Programme programme;
  CustomerCeiling customers;
  std::vector<ActualRelease> releases;  // in date order
  bool has_cadence = false;
  Dist release_cadence_months;  // flagship releases after the data date, this far apart
};

// One schedule unit: a site without phases, or one phase of a phased site
// (docs/MODEL.md 9). Phases share their site's draws (cost, construction, supply,
// schedule drivers); each draws its own activity durations and risk events.
struct Site {
  std::string id, name;      // a phase: "<site>/<phase>"
  std::string site_id;       // the site it belongs to
  std::string phase_id;      // empty: the site has no phases
  std::string after_phase;   // a phase's construction starts no earlier than this phase's ready date + after_lag
  double after_lag_months = 0;
  bool online_actual = false;  // [actuals] phases_online: online on online_date, before the data date
  YearMonth online_date;
  int player, accelerator, region;
  double it_mw, accelerator_count;
  bool own;
  YearMonth construction_start, planned_ready;
  Dist cost_per_mw_usd_m;
  double facility_life_years = 20;
  double lease_yield = 0.10, lease_escalator = 0.025, lease_term_years = 15;  // when not given
  // construction
  Dist labor_index, materials_index, equipment_index;
  Dist owner_furnished_usd_m_per_mw;  // bought by the tenant, own or lease
  double labor_share, materials_share, equipment_share, escalation_per_month;
  // supply
  Dist allocation, late_delivery_months, ramp_months;
  double planned_ramp_months;
  std::string template_name;
  Network network;
};

struct Market {
  Dist price_p0, price_decline, demand_growth, elasticity, gpu_price_index;
  double existing_capacity_h100eq = 0;
  double hours_per_month = 730, first_mover_tau_months = 12;  // when not given
};

struct RunSettings {
  YearMonth valuation;  // discounting origin: month 0
  YearMonth data_date;  // information cut: before it, [actuals]; from it, draws
  int horizon_months = 96;
  std::uint64_t paths = 100000;
  std::uint64_t seed = 20250101;
  std::uint64_t batch = 0;  // 0: chosen by the engine
};

// Calendar metrics: capex per window (both months included) and online
// capacity at the end of each month.
struct ReportSettings {
  std::vector<std::pair<YearMonth, YearMonth>> capex_windows{{{2025, 1}, {2026, 12}}};
  std::vector<std::pair<YearMonth, YearMonth>> revenue_windows;  // none by default
  std::vector<std::pair<YearMonth, YearMonth>> release_windows;  // none by default
  std::vector<YearMonth> online_months{{2026, 12}};
  // Cumulative net cash at the end of every this many months from the valuation date (the
  // cash_<YYYY_MM>_usd_b columns, for fan charts); 0: none.
  int cash_every_months = 3;
  double required_revenue_margin = 0;  // share of revenue left once the build has paid back at the WACC
};

// A compute contract: the buyer takes `share` of a site's online capacity from
// the seller (the site's entity) at a price per H100-eq hour, for `term_months`
// from the later of `start` and each phase's ready date. The buyer earns on it
// as own use; the seller pays its costs and earns the payments.
struct Contract {
  std::string id, key;  // key: config path, for messages and draw streams
  int buyer = 0, seller = 0;
  std::string site;     // a site id; each of its phases is contracted alike
  double share = 1;
  bool market_price = true;  // no price given: the path's market price P(t)
  Dist price_usd_per_h100eq_hour;
  double term_months = 0;
  bool has_start = false;
  YearMonth start;
};

struct Config {
  std::string source;  // file name, or "<builtin>/base.toml"
  std::string hash;    // fnv1a64 of the merged configuration
  RunSettings run;
  ReportSettings report;
  std::vector<std::string> factor_names;
  std::vector<double> correlation;      // row-major
  std::vector<double> factor_cholesky;  // its lower-triangular factor, row-major (found while validating)
  Market market;
  std::vector<Region> regions;
  std::vector<Accelerator> accelerators;
  std::vector<Player> players;
  std::vector<Site> sites;  // grouped by player, in player order
  std::vector<Contract> contracts;
};

// Both throw ConfigError on any problem; `source_name` is used in messages.
Config load_config_file(const std::string& path);
Config load_config_text(const std::string& text, const std::string& source_name);

}  // namespace buildout
