#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/normal.hpp>

#include "host/config/config_error.hpp"
#include "host/config/fnv1a64.hpp"
#include "host/config/splitmix64.hpp"
#include "host/model/compiled_model.hpp"
#include "host/model/draw_fields.hpp"
#include "host/model/sobol_sampler.hpp"
#include "kernels/programme.hpp"

namespace buildout {
namespace {

constexpr int kQuantileKnots = 1025;  // grid tables for PERT and beta

// Beta quantiles are costly (Boost's ibeta_inv), and sites built from one
// template repeat the same PERTs, so identical tables are built once and shared.
// For a grid table a, b hold alpha, beta; the table's ends are lo and hi.
void grid_table(CompiledModel& m, DrawSpec& s, double alpha, double beta, double lo, double hi) {
  s.kind = DistKind::GridTable;
  s.a = alpha;
  s.b = beta;
  for (const DrawSpec& d : m.draws)
    if (d.kind == DistKind::GridTable && d.a == alpha && d.b == beta && m.tables[d.table_offset] == lo &&
        m.tables[d.table_offset + d.table_size - 1] == hi) {
      s.table_offset = d.table_offset;
      s.table_size = d.table_size;
      return;
    }
  s.table_offset = static_cast<int>(m.tables.size());
  s.table_size = kQuantileKnots;
  const boost::math::beta_distribution<double> dist(alpha, beta);
  m.tables.resize(m.tables.size() + kQuantileKnots);
  double* knots = m.tables.data() + s.table_offset;
  // Each knot is its own root-find on the incomplete beta function (most of compiling a config): on
  // every core. Boost's errors may not leave the parallel loop; the last one is thrown after it.
  std::exception_ptr failed;
#pragma omp parallel for schedule(dynamic, 32)
  for (int k = 0; k < kQuantileKnots; ++k) {
    try {
      knots[k] = lo + (hi - lo) * boost::math::quantile(dist, static_cast<double>(k) / (kQuantileKnots - 1));
    } catch (...) {
#pragma omp critical(grid_table_error)
      failed = std::current_exception();
    }
  }
  if (failed) std::rethrow_exception(failed);
}

void pair_table(CompiledModel& m, DrawSpec& s, DistKind kind, const std::vector<double>& p, const std::vector<double>& x) {
  s.kind = kind;
  s.table_offset = static_cast<int>(m.tables.size());
  s.table_size = static_cast<int>(p.size());
  m.tables.insert(m.tables.end(), p.begin(), p.end());
  m.tables.insert(m.tables.end(), x.begin(), x.end());
}

int clamp_month(int m, int months) { return m < 0 ? 0 : (m > months ? months : m); }

// Two keys hashing to one stream would share random numbers: with 62 bits and
// hundreds of draws that is a 1-in-1e13 event, but it is checked, not assumed.
void require_distinct_streams(const CompiledModel& m, const std::vector<std::string>& factor_names) {
  std::unordered_map<std::uint64_t, std::string> seen;
  const auto claim = [&](std::uint64_t stream, const std::string& key) {
    const auto [it, fresh] = seen.emplace(stream, key);
    // One key may appear more than once: a site's draws in each of its phases.
    if (!fresh && it->second != key) throw std::logic_error("draws \"" + it->second + "\" and \"" + key + "\" share one random stream");
  };
  for (size_t i = 0; i < m.draws.size(); ++i) claim(m.draws[i].stream, m.draw_keys[i]);
  for (size_t k = 0; k < factor_names.size(); ++k) claim(m.factor_streams[k], "factors." + factor_names[k]);
  for (size_t k = 0; k < m.release_streams.size(); ++k) claim(m.release_streams[k], m.release_stream_keys[k]);
}

// sites.csv's rows: each unit, and for a site with phases its first phase
// online and the full site.
void add_site_rows(CompiledModel& m, const Config& cfg) {
  for (size_t u = 0; u < cfg.sites.size(); ++u) {
    const Site& s = cfg.sites[u];
    m.site_rows.push_back({s.id, s.name, s.player, m.sites[u].planned_ready_month, {static_cast<int>(u)}, SiteRow::Unit});
    const bool last_phase = !s.phase_id.empty() && (u + 1 == cfg.sites.size() || cfg.sites[u + 1].site_id != s.site_id);
    if (!last_phase) continue;
    SiteRow first{s.site_id + "/first", "", s.player, 0, {}, SiteRow::FirstPhase};
    SiteRow full{s.site_id, "", s.player, 0, {}, SiteRow::FullSite};
    for (size_t k = 0; k < cfg.sites.size(); ++k) {
      if (cfg.sites[k].site_id != s.site_id) continue;
      const double planned = m.sites[k].planned_ready_month;
      first.planned_ready_month = first.units.empty() ? planned : std::min(first.planned_ready_month, planned);
      full.planned_ready_month = full.units.empty() ? planned : std::max(full.planned_ready_month, planned);
      first.units.push_back(static_cast<int>(k));
      full.units.push_back(static_cast<int>(k));
      full.name = cfg.sites[k].name.substr(0, cfg.sites[k].name.rfind(", "));
    }
    first.name = full.name + ", first phase online";
    full.name += ", all phases";
    m.site_rows.push_back(first);
    m.site_rows.push_back(full);
  }
}

// A site as planned: ready on its planned date with every accelerator, each
// draw at its mean. It sizes the planned capacity the market price divides by.
SiteState planned_site_state(const Site& s, const Accelerator& acc, double gpu_price_index, int valuation) {
  SiteState st{};
  st.ready = st.late_at = s.planned_ready.index() - valuation;
  st.allocation = 1.0;
  st.facility_begin = s.construction_start.index() - valuation;
  st.facility_usd =
      (s.own ? s.it_mw * s.cost_per_mw_usd_m.mean() * 1e6 : 0.0) + s.it_mw * s.owner_furnished_usd_m_per_mw.mean() * 1e6;
  st.accelerator_usd = s.accelerator_count * (acc.price_usd.mean() * gpu_price_index + acc.other_it_usd.mean());
  return st;
}

// Adds the programmes' planned capacity, each draw at its mean, to the
// planned capacity per month: the fleet the named sites' planned spend leaves.
void add_planned_programmes(CompiledModel& m, const Config& cfg) {
  std::vector<double> change(m.months, 0.0);
  const int valuation = cfg.run.valuation.index();
  std::vector<double> g(m.draws.size(), 0.0);
  for (int p = 0; p < m.n_players(); ++p) {
    const PlayerSpec& pl = m.players[p];
    if (pl.period_begin == pl.period_end) continue;
    const Programme& prog = cfg.players[p].programme;
    std::vector<SiteState> planned(cfg.sites.size());
    for (int s = pl.site_begin; s < pl.site_end; ++s)
      planned[s] = planned_site_state(cfg.sites[s], cfg.accelerators[cfg.sites[s].accelerator], cfg.market.gpu_price_index.mean(), valuation);
    for (size_t k = 0; k < prog.periods.size(); ++k) g[m.programme_periods[pl.period_begin + k].usd_b_draw] = prog.periods[k].usd_b.mean();
    double rate[kMaxProgrammePeriods];
    fleet_spend_rates(m.view(), pl, g.data(), planned.data(), rate);
    const double h100eq_per_usd = pl.h100eq_per_gw / (prog.usd_b_per_gw.mean() * 1e9);
    for (int k = pl.period_begin; k < pl.period_end; ++k)
      add_lagged(change.data(), inside_horizon(m.programme_periods[k], m.months), cohort_spend(rate[k - pl.period_begin]) * h100eq_per_usd,
                 prog.lag_months.mean(), m.months);
  }
  double level = 0.0;
  for (int t = 0; t < m.months; ++t) m.planned_capacity_h100eq[t] += level += change[t];
}

// A finance lease's level monthly installment per dollar financed, at monthly rate r over n
// months: the annuity r / (1 - (1 + r)^-n), and 1 / n at rate 0.
double level_installment_per_usd(double r, int n) { return r > 0.0 ? r / (1.0 - std::pow(1.0 + r, -n)) : 1.0 / n; }

// What `left` installments still owe, per installment, discounted at monthly rate r: the annuity
// factor (1 - (1 + r)^-left) / r, and left at rate 0.
double owed_per_installment(double r, int left) { return r > 0.0 ? (1.0 - std::pow(1.0 + r, -left)) / r : left; }

// Player ps's row of ModelView::finance_owed_per_installment: a cohort of month t owes
// t + n + 1 - months installments at the horizon (0 where none, or nothing is financed).
void add_finance_owed_row(CompiledModel& m, const PlayerSpec& ps) {
  for (int t = 0; t < m.months; ++t) {
    const int left = t + ps.finance_lease_months + 1 - m.months;
    m.finance_owed_per_installment.push_back(ps.finance_lease_share > 0.0 && left > 0 ? owed_per_installment(ps.finance_lease_monthly_rate, left) : 0.0);
  }
}

}  // namespace

std::uint64_t draw_stream(const std::string& key) {
  return splitmix64_mix(fnv1a64(key)) >> 2;  // 62 bits: 4 x stream is curand_init's offset
}

void append_draw(CompiledModel& m, const Dist& d, const std::string& key) {
  DrawSpec s{};
  s.stream = draw_stream(key);
  s.factor = d.factor;
  s.loading = d.loading;
  s.idiosyncratic = std::sqrt(1.0 - d.loading * d.loading);
  s.a = d.a; s.b = d.b; s.c = d.c;
  using T = Dist::Type;
  switch (d.type) {
    case T::Fixed: s.kind = DistKind::Fixed; break;
    case T::Uniform: s.kind = DistKind::Uniform; break;
    case T::Triangular:
      s.kind = DistKind::Triangular;
      s.b = d.c;
      s.c = d.c > d.a ? (d.b - d.a) / (d.c - d.a) : 0.5;  // a point mass when min = max
      break;
    case T::Normal: s.kind = DistKind::Normal; break;
    case T::Lognormal: s.kind = DistKind::Lognormal; break;
    case T::Bernoulli:
      s.kind = DistKind::Bernoulli;
      s.b = d.a;  // p, for a draw without a loading (compared with a uniform)
      s.a = d.a <= 0.0 ? -std::numeric_limits<double>::infinity()
          : d.a >= 1.0 ? std::numeric_limits<double>::infinity()
                       : boost::math::quantile(boost::math::normal(), d.a);
      break;
    case T::Pert: {  // Beta(1 + 4(mode-min)/(max-min), 1 + 4(max-mode)/(max-min)) on [min, max]
      const double span = d.c - d.a;
      grid_table(m, s, 1.0 + 4.0 * (d.b - d.a) / span, 1.0 + 4.0 * (d.c - d.b) / span, d.a, d.c);
      break;
    }
    case T::Beta: grid_table(m, s, d.a, d.b, d.c, d.d); break;
    case T::Empirical: pair_table(m, s, DistKind::PairTable, d.probabilities, d.values); break;
    case T::Discrete: {
      std::vector<double> cum;
      double c = 0;
      for (double p : d.probabilities) cum.push_back(c += p);
      cum.back() = 1.0;
      pair_table(m, s, DistKind::Discrete, cum, d.values);
      break;
    }
  }
  m.draws.push_back(s);
  m.draw_keys.push_back(key);
}

int CompiledModel::random_numbers_per_path() const {
  std::unordered_set<std::uint64_t> streams;  // a phase's shared draws are one random number
  for (const auto& d : draws)
    if (d.kind != DistKind::Fixed) streams.insert(d.stream);
  return n_factors + static_cast<int>(streams.size() + release_streams.size());
}

ModelView CompiledModel::view() const {
  ModelView v{};
  v.seed = seed;
  v.months = months;
  v.data_date_month = data_date_month;
  v.n_factors = n_factors;
  v.n_global_draws = n_global_draws;
  v.existing_capacity_h100eq = existing_capacity_h100eq;
  v.hours_per_month = hours_per_month;
  v.first_mover_tau_months = first_mover_tau_months;
  v.required_revenue_margin = required_revenue_margin;
  v.calendar = calendar;
  v.n_players = n_players();
  v.n_sites = n_sites();
  v.n_contracts = static_cast<int>(contracts.size());
  v.sampler = sampler;
#define BUILDOUT_HOST_POINTER(type, name) v.name = name.data();
  BUILDOUT_MODEL_ARRAYS(BUILDOUT_HOST_POINTER)
#undef BUILDOUT_HOST_POINTER
  return v;
}

namespace {

// Appends a block's draws in its list's order, each keyed by its owner's path and its key.
template <class Source, std::size_t n>
void append_block(CompiledModel& m, const DrawField<Source> (&fields)[n], const Source& source, const std::string& owner) {
  for (const DrawField<Source>& f : fields) append_draw(m, f.dist(source), owner + f.key);
}

// The calendar metrics' windows in months from the valuation date (clamped to the horizon), and
// the player columns they add.
void compile_calendar(CompiledModel& m, const Config& cfg) {
  const int start = cfg.run.valuation.index();
  CalendarSpec& cal = m.calendar;
  for (const auto& [first, last] : cfg.report.capex_windows) {
    cal.capex_window_begin[cal.n_capex_windows] = clamp_month(first.index() - start, m.months);
    cal.capex_window_end[cal.n_capex_windows++] = clamp_month(last.index() + 1 - start, m.months);
  }
  for (const auto& [first, last] : cfg.report.revenue_windows) {
    cal.revenue_window_begin[cal.n_revenue_windows] = clamp_month(first.index() - start, m.months);
    cal.revenue_window_end[cal.n_revenue_windows++] = clamp_month(last.index() + 1 - start, m.months);
  }
  for (const auto& [first, last] : cfg.report.release_windows) {
    cal.release_window_begin[cal.n_release_windows] = first.index() - start;  // not clamped: a release may precede the valuation
    cal.release_window_end[cal.n_release_windows++] = last.index() + 1 - start;
  }
  for (const auto& month : cfg.report.online_months)
    cal.online_report_month[cal.n_online_reports++] = clamp_month(month.index() + 1 - start, m.months);
  cal.cash_every_months = cfg.report.cash_every_months;
  cal.n_cash_reports = static_cast<int>(cash_column_months(cfg.report, m.months).size());
  m.player_columns = player_columns(cfg.report, cfg.run.valuation, m.months, cal);
  for (const auto& [first, last] : cfg.report.capex_windows) m.capex_window_labels.push_back(window_label(first, last));
}

// The player's releases: the reported ones and, on a cadence, the draws of its grid and the
// streams of its later flagships.
void compile_releases(CompiledModel& m, const Player& p, int start, PlayerSpec& ps) {
  const std::string at = player_draws_key(p);
  // The release the model follows: the first that unlocked new revenue, else the first reported.
  for (const auto& r : p.releases)
    if (!ps.release_actual || (r.unlocked && !ps.release_unlocked)) {
      ps.release_actual = 1;
      ps.release_unlocked = r.unlocked ? 1 : 0;
      ps.actual_release_month = r.date.index() - start;
    }
  ps.reported_begin = static_cast<int>(m.reported_releases.size());
  for (const auto& r : p.releases) m.reported_releases.push_back(r.date.index() - start);
  ps.reported_end = static_cast<int>(m.reported_releases.size());
  ps.cadence_draw = ps.phase_draw = -1;
  ps.release_streams_begin = static_cast<int>(m.release_streams.size());
  if (!p.has_cadence) return;
  // The 2nd, 3rd, ... eligible flagship's success draws: frontier_success's distribution on
  // streams of their own (the first uses frontier_success's).
  for (int k = 1; k < kMaxEligibleReleases; ++k) {
    m.release_stream_keys.push_back(at + "frontier_success.release_" + std::to_string(k + 1));
    m.release_streams.push_back(draw_stream(m.release_stream_keys.back()));
  }
  ps.cadence_draw = static_cast<int>(m.draws.size());
  append_draw(m, p.release_cadence_months, at + "release_cadence_months");
  Dist phase;  // where the grid stands at the data date when no release is reported
  phase.type = Dist::Type::Uniform;
  phase.b = 1.0;
  ps.phase_draw = static_cast<int>(m.draws.size());
  append_draw(m, phase, at + "release_phase");
}

// The player's programme: its block, each capex period's draw, and what the kernel needs of its
// accelerator and its finance leases.
void compile_programme(CompiledModel& m, const Config& cfg, const Player& p, int region_begin, PlayerSpec& ps) {
  const int start = cfg.run.valuation.index();
  ps.period_begin = ps.period_end = static_cast<int>(m.programme_periods.size());
  if (!p.programme.present) return;
  const Programme& g = p.programme;
  const Accelerator& acc = cfg.accelerators[g.accelerator];
  ps.programme_draw = static_cast<int>(m.draws.size());
  append_block(m, kProgrammeDrawFields, PlayerDrawSource{p}, player_draws_key(p));
  for (const auto& c : g.periods) {
    m.programme_periods.push_back(
        ProgrammePeriodSpec{c.first.index() - start, c.last.index() + 1 - start, static_cast<int>(m.draws.size()), c.actual ? 1 : 0});
    append_draw(m, c.usd_b, c.key);
  }
  ps.period_end = static_cast<int>(m.programme_periods.size());
  if (ps.period_end - ps.period_begin > kMaxProgrammePeriods)
    throw ConfigError(cfg.source + ": " + player_draws_key(p) + "programme: " + std::to_string(ps.period_end - ps.period_begin) +
                      " capex periods, at most kMaxProgrammePeriods = " + std::to_string(kMaxProgrammePeriods));
  ps.programme_region_draw = region_begin + g.region;
  ps.ai_share = g.ai_share;
  ps.h100eq_per_gw = 1e6 / acc.kw_per_unit * acc.h100eq_per_unit;
  ps.kw_per_h100eq = acc.kw_per_unit / acc.h100eq_per_unit;
  ps.accelerator_share = g.accelerator_share;
  ps.accelerator_life_months = 12.0 * acc.life_years;
  ps.facility_life_months = 12.0 * g.facility_life_years;
  ps.finance_lease_share = g.finance_lease_share;
  ps.finance_lease_monthly_rate = std::pow(1.0 + g.finance_lease_rate, 1.0 / 12.0) - 1.0;
  ps.finance_lease_months = static_cast<int>(std::lround(12.0 * g.finance_lease_term_years));
  ps.finance_installment_per_usd = level_installment_per_usd(ps.finance_lease_monthly_rate, ps.finance_lease_months);
}

// Each player's (and owner's) spec and its draws in the global block: its own block, its release
// cadence's, its customer ceiling's and its programme's, in that order. Its sites are set later.
void compile_players(CompiledModel& m, const Config& cfg, int region_begin) {
  for (const auto& p : cfg.players) {
    PlayerSpec ps{};
    ps.draw_begin = static_cast<int>(m.draws.size());
    append_block(m, kPlayerDrawFields, PlayerDrawSource{p}, player_draws_key(p));
    ps.rent_share = p.rent_share;
    ps.om_share_per_year = p.om_share_per_year;
    ps.frontier_threshold_h100eq = p.frontier_threshold_h100eq;
    ps.site_begin = ps.site_end = 0;
    compile_releases(m, p, cfg.run.valuation.index(), ps);
    ps.ceiling_draw = -1;
    if (p.customers.present) {
      ps.ceiling_draw = static_cast<int>(m.draws.size());
      append_block(m, kCeilingDrawFields, PlayerDrawSource{p}, player_draws_key(p));
    }
    compile_programme(m, cfg, p, region_begin, ps);
    ps.is_owner = p.is_owner ? 1 : 0;
    add_finance_owed_row(m, ps);
    m.players.push_back(ps);
    m.player_ids.push_back(p.id);
    m.books.push_back(programme_books(p.programme, cfg.report));
    m.player_names.push_back(p.name);
    m.player_entities.push_back(p.entity);
  }
}

// Contracts: one price draw each (none at the market price), shared by the site's phases.
void compile_contracts(CompiledModel& m, const Config& cfg) {
  const int start = cfg.run.valuation.index();
  for (const auto& c : cfg.contracts) {
    const int price_draw = c.market_price ? -1 : static_cast<int>(m.draws.size());
    if (!c.market_price) append_draw(m, c.price_usd_per_h100eq_hour, c.key + ".price_usd_per_h100eq_hour");
    for (size_t u = 0; u < cfg.sites.size(); ++u)
      if (cfg.sites[u].site_id == c.site)
        m.contracts.push_back(ContractSpec{c.buyer, c.seller, static_cast<int>(u), price_draw, c.share,
                                           c.has_start ? c.start.index() - start : -kMaxReadyMonth, c.term_months});
  }
  if (m.contracts.size() > static_cast<size_t>(kMaxContracts))
    throw ConfigError(cfg.source + ": contracts: " + std::to_string(m.contracts.size()) + " contracted schedule units, at most kMaxContracts = " +
                      std::to_string(kMaxContracts));
  for (size_t k = 0; k < m.contracts.size(); ++k)
    for (int p : {m.contracts[k].buyer, m.contracts[k].seller}) m.players[p].contract_mask |= std::uint32_t{1} << k;
}

// Schedule unit si's spec, but for its draws and its network.
SiteSpec site_spec(const Config& cfg, size_t si, int region_begin) {
  const Site& s = cfg.sites[si];
  const Accelerator& acc = cfg.accelerators[s.accelerator];
  const int start = cfg.run.valuation.index();
  SiteSpec ss{};
  ss.player = s.player;
  ss.own = s.own ? 1 : 0;
  ss.region_draw = region_begin + s.region;
  ss.terminal = s.network.terminal;
  ss.it_mw = s.it_mw;
  ss.units = s.accelerator_count;
  ss.h100eq_per_unit = acc.h100eq_per_unit;
  ss.kw_per_unit = acc.kw_per_unit;
  ss.start_month = s.construction_start.index() - start;
  ss.planned_ready_month = s.planned_ready.index() - start;
  ss.labor_share = s.labor_share;
  ss.materials_share = s.materials_share;
  ss.equipment_share = s.equipment_share;
  ss.escalation_per_month = s.escalation_per_month;
  ss.lease_yield = s.lease_yield;
  ss.lease_escalator = s.lease_escalator;
  ss.lease_term_months = 12.0 * s.lease_term_years;
  ss.facility_life_months = 12.0 * s.facility_life_years;
  ss.accelerator_life_months = 12.0 * acc.life_years;
  ss.after_unit = -1;
  if (!s.after_phase.empty()) {
    const std::string after = s.site_id + "/" + s.after_phase;
    for (size_t u = 0; u < si; ++u)
      if (cfg.sites[u].id == after) ss.after_unit = static_cast<int>(u);
    if (ss.after_unit < 0) throw std::logic_error(s.id + ": follows " + after + ", which is not an earlier unit");
    ss.after_lag_months = s.after_lag_months;
  }
  ss.online_actual = s.online_actual ? 1 : 0;
  ss.actual_ready_month = s.online_date.index() - start;
  return ss;
}

// A unit's draw block: its site's list, drivers, durations, then per event occurs/delay/cost.
// A phase shares its site's draws and drivers (keyed by the site) and draws its own durations
// and events (keyed by the phase).
void append_site_draws(CompiledModel& m, const Config& cfg, const Site& s, SiteSpec& ss) {
  const Network& net = s.network;
  ss.draw_begin = static_cast<int>(m.draws.size());
  ss.n_drivers = static_cast<int>(net.drivers.size());
  ss.n_activities = static_cast<int>(net.activities.size());
  ss.n_events = static_cast<int>(net.risks.size());
  const std::string at = site_draws_key(s);
  const std::string unit_at = s.phase_id.empty() ? at : at + "phases." + s.phase_id + ".";
  append_block(m, kSiteDrawFields, SiteDrawSource{s, cfg.accelerators[s.accelerator]}, at);
  for (size_t k = 0; k < net.drivers.size(); ++k) append_draw(m, net.drivers[k], at + "network.drivers." + net.driver_names[k]);
  for (const auto& a : net.activities) append_draw(m, a.duration, unit_at + "network.activities." + a.id + ".duration");
  for (const auto& e : net.risks) {
    append_draw(m, e.occurs, unit_at + "network.risks." + e.id + ".probability");
    append_draw(m, e.delay_months, unit_at + "network.risks." + e.id + ".delay_months");
    append_draw(m, e.cost_usd_m, unit_at + "network.risks." + e.id + ".cost_usd_m");
  }
  const int block = static_cast<int>(m.draws.size()) - ss.draw_begin;
  if (block > kMaxSiteDraws)
    throw ConfigError(cfg.source + ": sites." + s.id + ": " + std::to_string(block) + " draws, at most " + std::to_string(kMaxSiteDraws) + " per site");
}

// A unit's network: its activities in topological order with their predecessors and drivers,
// and the activities each risk event hits.
void append_site_network(CompiledModel& m, const Network& net, SiteSpec& ss) {
  ss.activity_begin = static_cast<int>(m.activities.size());
  ss.event_begin = static_cast<int>(m.events.size());
  std::vector<std::string> ids;
  for (const auto& a : net.activities) {
    ActivitySpec as{};
    as.pred_begin = static_cast<int>(m.predecessors.size());
    for (size_t k = 0; k < a.predecessors.size(); ++k) m.predecessors.push_back(PredecessorSpec{a.predecessors[k], a.lags[k]});
    as.pred_end = static_cast<int>(m.predecessors.size());
    for (int d : a.drivers) as.driver_mask |= std::uint64_t{1} << d;
    m.activities.push_back(as);
    ids.push_back(a.id);
  }
  for (const auto& e : net.risks) {
    EventSpec es{};
    for (int h : e.hits) es.hits |= std::uint64_t{1} << h;
    m.events.push_back(es);
  }
  m.n_risk_events += ss.n_events;
  m.activity_ids.push_back(ids);
}

// Each schedule unit: its spec, its draw block (after the global block), its network, its
// planned capacity and its place in its player's range of sites.
void compile_sites(CompiledModel& m, const Config& cfg, int region_begin) {
  m.planned_capacity_h100eq.assign(m.months, 0.0);
  for (size_t si = 0; si < cfg.sites.size(); ++si) {
    const Site& s = cfg.sites[si];
    SiteSpec ss = site_spec(cfg, si, region_begin);
    append_site_draws(m, cfg, s, ss);
    append_site_network(m, s.network, ss);
    for (int t = 0; t < m.months; ++t) {
      const double x = t + 0.5 - ss.planned_ready_month;
      const double share = s.planned_ramp_months > 0 ? std::clamp(x / s.planned_ramp_months, 0.0, 1.0) : (x >= 0 ? 1.0 : 0.0);
      m.planned_capacity_h100eq[t] += share * ss.units * ss.h100eq_per_unit;
    }
    PlayerSpec& ps = m.players[s.player];
    if (ps.site_end == 0) ps.site_begin = static_cast<int>(si);
    ps.site_end = static_cast<int>(si) + 1;
    // The pow the kernel's rent step would make, once per site (cost_walk.hpp).
    for (int k = 0; k < kLeaseEscalationYears; ++k) m.lease_escalation.push_back(std::pow(1.0 + ss.lease_escalator, static_cast<double>(k)));
    m.sites.push_back(ss);
    m.site_ids.push_back(s.id);
    m.site_names.push_back(s.name);
  }
}

}  // namespace

CompiledModel compile_model(const Config& cfg, std::uint64_t seed) {
  CompiledModel m;
  m.seed = seed;
  m.months = cfg.run.horizon_months;
  m.valuation = cfg.run.valuation;
  m.data_date = cfg.run.data_date;
  m.data_date_month = cfg.run.data_date.index() - cfg.run.valuation.index();
  m.n_factors = static_cast<int>(cfg.factor_names.size());
  m.factor_cholesky = cfg.factor_cholesky;
  for (const auto& f : cfg.factor_names) m.factor_streams.push_back(draw_stream("factors." + f));
  m.existing_capacity_h100eq = cfg.market.existing_capacity_h100eq;
  m.hours_per_month = cfg.market.hours_per_month;
  m.first_mover_tau_months = cfg.market.first_mover_tau_months;
  m.required_revenue_margin = cfg.report.required_revenue_margin;
  compile_calendar(m, cfg);

  // The global block: the market's draws, one per region, each player's blocks, then the
  // contracts' prices. Each draw's stream is keyed by its config key path; a site's draws by the
  // path its overrides are written under (sites.<id>.construction.labor_index).
  append_block(m, kGlobalDrawFields, GlobalDrawSource{cfg.market}, kGlobalDrawsKey);
  const int region_begin = static_cast<int>(m.draws.size());
  for (const auto& r : cfg.regions) append_draw(m, r.power_usd_per_mwh, "regions." + r.id + ".power_usd_per_mwh");
  compile_players(m, cfg, region_begin);
  compile_contracts(m, cfg);
  m.n_global_draws = static_cast<int>(m.draws.size());
  if (m.n_global_draws > kMaxGlobalDraws)
    throw ConfigError(cfg.source + ": too many regions and players: " + std::to_string(m.n_global_draws) + " global draws, at most " + std::to_string(kMaxGlobalDraws));

  compile_sites(m, cfg, region_begin);
  add_site_rows(m, cfg);
  add_planned_programmes(m, cfg);
  require_distinct_streams(m, cfg.factor_names);
  assign_input_dimensions(m);
  return m;
}

}  // namespace buildout
