#pragma once
// The sizes of the path kernel's per-path arrays. On a GPU those arrays are the thread's stack
// frame, which every resident thread holds: sized by limits.hpp's bounds they would cost a
// config like base.toml more than twice the frame it needs. The kernel is therefore built for
// two sizes, and a backend runs the compact one whenever the compiled model fits it; the code,
// and so every number, is the same in both (tests/unit/test_path_bounds.cpp holds them equal).
#include "limits.hpp"
#include "model_view.hpp"

namespace buildout {

// What config validation allows (limits.hpp).
struct FullPathBounds {
  static constexpr int sites = kMaxSites, months = kMaxMonths, factors = kMaxFactors, global_draws = kMaxGlobalDraws,
                       site_draws = kMaxSiteDraws, activities = kMaxActivities, periods = kMaxPlayers * kMaxProgrammePeriods;
};

// Room for the default eight-year horizon and a model of base.toml's shape with room to grow:
// PathBounds.ShippedConfigsRunTheCompactKernelWithTheFullKernelsBits fails when a shipped config
// outgrows it (then grow the bound, and measure the frame again: docs/DEVELOPING.md).
struct CompactPathBounds {
  static constexpr int sites = 16, months = 96, factors = 8, global_draws = 128, site_draws = 64, activities = 16, periods = 16;
};

// Whether model m's per-path arrays fit bounds B.
template <class B>
bool fits_path_bounds(const ModelView& m) {
  if (m.n_sites > B::sites || m.months > B::months || m.n_factors > B::factors || m.n_global_draws > B::global_draws) return false;
  for (int s = 0; s < m.n_sites; ++s) {
    const SiteSpec& spec = m.sites[s];
    if (spec.n_activities > B::activities || kSiteFixedDraws + spec.n_drivers + spec.n_activities + 3 * spec.n_events > B::site_draws)
      return false;
  }
  for (int p = 0; p < m.n_players; ++p)
    if (m.players[p].period_end > B::periods) return false;
  return true;
}

// Calls f with CompactPathBounds{} when compact, else with FullPathBounds{}.
template <class F>
void with_path_bounds(bool compact, F&& f) {
  if (compact) f(CompactPathBounds{});
  else f(FullPathBounds{});
}

}  // namespace buildout
