#pragma once
// The config flattened into the arrays the kernels read (ModelView), plus
// the names the reports need. Built once per run on the host.
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/model_view.hpp"
#include "host/config/config.hpp"
#include "player_columns.hpp"
#include "programme_books.hpp"

namespace buildout {

// A row of sites.csv: one schedule unit (a site, or a phase), or a phased
// site's first phase online (the earliest of its phases' ready dates on each
// path) or the full site (the latest).
struct SiteRow {
  enum Combine { Unit, FirstPhase, FullSite };
  std::string id, name;
  int player;
  double planned_ready_month;
  std::vector<int> units;
  Combine combine;
};

struct CompiledModel {
  std::uint64_t seed = 0;
  int months = 0;
  double data_date_month = 0;
  YearMonth valuation, data_date;
  int n_factors = 0;
  int n_global_draws = 0;
  double existing_capacity_h100eq = 0, hours_per_month = 0, first_mover_tau_months = 0, required_revenue_margin = 0;
  CalendarSpec calendar{};
#define BUILDOUT_HOST_ARRAY(type, name) std::vector<type> name;
  BUILDOUT_MODEL_ARRAYS(BUILDOUT_HOST_ARRAY)
#undef BUILDOUT_HOST_ARRAY

  // For reports.
  std::vector<std::string> player_ids, player_names, site_ids, site_names;
  std::vector<std::string> player_entities;  // what each row stands for ([players|owners.<id>] entity)
  std::vector<std::string> draw_keys;  // per draw: the config key path its stream is keyed by
  std::vector<std::string> release_stream_keys;  // per entry of release_streams, likewise
  std::vector<PlayerColumn> player_columns;  // per-player result columns, in output order
  std::vector<std::string> capex_window_labels;  // per [report] capex window, as prose names it ("2025", "2025-26")
  std::vector<ProgrammeBooks> books;             // per player: what its books say of each capex window
  std::vector<std::vector<std::string>> activity_ids;  // per site, kernel order
  std::vector<SiteRow> site_rows;                      // sites.csv's rows, in order
  int n_risk_events = 0;
  std::int32_t sampler = kPhilox;  // kSobol after use_sobol_sampler (host/model/sobol_sampler.hpp)

  int n_players() const { return static_cast<int>(players.size()); }  // players and owners
  int n_owners() const {
    int n = 0;
    for (const auto& p : players) n += p.is_owner;
    return n;
  }
  int n_sites() const { return static_cast<int>(sites.size()); }
  int n_player_metrics() const { return static_cast<int>(player_columns.size()); }
  // Random numbers one path may use: the factors plus every non-fixed draw (a
  // risk event's delay and cost are drawn only on paths where it occurs, a later
  // flagship's success only while none has succeeded).
  int random_numbers_per_path() const;
  // A view over this object's host memory.
  ModelView view() const;
};

CompiledModel compile_model(const Config& cfg, std::uint64_t seed);

// The Philox stream of the draw at a config key path (e.g. "players.meta.wacc"):
// a 62-bit hash, so that 4 x stream is a valid curand_init offset.
std::uint64_t draw_stream(const std::string& key);

// Appends one draw (and its quantile table, if any) to m.draws, its random
// numbers keyed by `key`.
void append_draw(CompiledModel& m, const Dist& d, const std::string& key);

}  // namespace buildout
