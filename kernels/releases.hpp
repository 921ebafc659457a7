#pragma once
// Each player's frontier release on one path, and when a release first unlocks new revenue.
// Training starts at the end of the first month whose mid-month online capacity reaches the
// player's threshold, and the release follows it by the drawn training months.
//
// Flagship releases on a cadence (docs/MODEL.md 6): after the data date a player ships
// every `cadence` months, on a grid anchored at its last reported release (or, with none, at
// a drawn phase before the data date). Releases before the data date are the reported ones.
#include <cmath>

#include "kernels/capacity_walk.hpp"
#include "kernels/contracts.hpp"
#include "kernels/draws.hpp"
#include "kernels/model_view.hpp"
#include "kernels/platform.hpp"

namespace buildout {

struct ReleaseGrid {
  double anchor, cadence, data_date;
  // The first grid release at or after t that is not before the data date (k >= 1).
  BO_HD double first_at_or_after(double t) const {
    if (!(t < INFINITY)) return INFINITY;
    const double from = t > data_date ? t : data_date;
    const double k = ceil((from - anchor) / cadence);
    return anchor + (k > 1.0 ? k : 1.0) * cadence;
  }
  // The last grid release before `end`, or -INFINITY when there is none.
  BO_HD double last_before(double end) const {
    const double first = first_at_or_after(data_date);
    if (!(first < end)) return -INFINITY;
    const double k = ceil((end - anchor) / cadence) - 1.0;  // anchor + k cadence < end
    const double last = anchor + k * cadence;
    return last >= first ? last : first;
  }
};

// The player's grid on this path; cadence 0 when it has none.
BO_HD ReleaseGrid release_grid(const ModelView& m, const PlayerSpec& pl, const double* g) {
  if (pl.cadence_draw < 0) return ReleaseGrid{0.0, 0.0, m.data_date_month};
  const double cadence = g[pl.cadence_draw];
  const double anchor = pl.reported_end > pl.reported_begin ? m.reported_releases[pl.reported_end - 1]
                                                           : m.data_date_month - g[pl.phase_draw] * cadence;
  return ReleaseGrid{anchor, cadence, m.data_date_month};
}

// The month of the player's last release in [begin, end) (reported, on the grid, or the
// frontier release without a grid), or begin - 1 when none falls in it.
BO_HD double last_release_in(const ModelView& m, const PlayerSpec& pl, const ReleaseGrid& grid, double frontier_release, double begin,
                             double end) {
  double last = -INFINITY;
  for (int r = pl.reported_begin; r < pl.reported_end; ++r)
    if (m.reported_releases[r] >= begin && m.reported_releases[r] < end && m.reported_releases[r] > last) last = m.reported_releases[r];
  const double sampled = grid.cadence > 0.0 ? grid.last_before(end) : (frontier_release < end ? frontier_release : -INFINITY);
  if (sampled >= begin && sampled > last) last = sampled;
  return last >= begin ? last : begin - 1.0;
}

// When player p's training run on its threshold's capacity is done (INFINITY: never): what it
// trains on is its own capacity, less what it sells under contract, plus what it buys.
// fleet_rate: its spend per month in each of its periods.
BO_HD double training_done(const ModelView& m, int p, const double* g, const SiteState* sites, const double* fleet_rate) {
  const PlayerSpec& pl = m.players[p];
  // Summed changes can land an ulp short of a threshold that the sites'
  // capacities meet exactly (two 150k sites, a 300k threshold).
  const double reached = pl.frontier_threshold_h100eq * (1.0 - 1e-12);
  CapacityWalk capacity(m, p, g, sites, fleet_rate);
  double online = 0.0;
  // No capacity reaches an infinite threshold (an owner's: it trains nothing), so its walk,
  // which would visit every month, is skipped.
  for (int t = 0; t < m.months && reached < INFINITY; ++t) {
    online += capacity.change_at(t, nullptr);
    const ContractMonth cm = pl.contract_mask ? contract_month(m, p, sites, g, t, 0.0) : ContractMonth{};
    if (online - cm.out + cm.in >= reached) return t + 1.0 + g[pl.draw_begin + kTrainingMonths];
  }
  return INFINITY;
}

// The first flagship on the grid from `release` on that unlocks new revenue (INFINITY: none
// within the horizon). Each may, with its own draw: the first is frontier_success itself
// (first_succeeds), the later ones have streams of their own; all load on the same factor.
BO_RNG double first_success_on_grid(const ModelView& m, const PlayerSpec& pl, const ReleaseGrid& grid, double release, bool first_succeeds,
                                    const double* factors, const PathStreams& rng) {
  DrawSpec later = m.draws[pl.draw_begin + kFrontierSuccess];
  double t = release;
  for (int k = 0; k < kMaxEligibleReleases && t < m.months; ++k, t += grid.cadence) {
    if (k > 0) {
      later.stream = m.release_streams[pl.release_streams_begin + k - 1];
      later.dimension = m.release_dimensions[pl.release_streams_begin + k - 1];
    }
    if (k == 0 ? first_succeeds : sample(later, m.tables, factors, rng) > 0.5) return t;
  }
  return INFINITY;
}

// A player's frontier release on one path, and when a release first unlocks new revenue
// (INFINITY: never).
struct FrontierRelease {
  double release, success_at;
};

BO_RNG FrontierRelease frontier_release(const ModelView& m, int p, const double* g, const SiteState* sites, const double* fleet_rate,
                                        const double* factors, const PathStreams& rng) {
  const PlayerSpec& pl = m.players[p];
  const ReleaseGrid grid = release_grid(m, pl, g);
  // A reported release that unlocked revenue is the frontier release; without a cadence,
  // so is the first reported one.
  if (pl.release_actual && (pl.release_unlocked || grid.cadence == 0.0))
    return FrontierRelease{pl.actual_release_month, pl.release_unlocked ? pl.actual_release_month : INFINITY};
  const double trained = training_done(m, p, g, sites, fleet_rate);
  const bool first_succeeds = g[pl.draw_begin + kFrontierSuccess] > 0.5;
  if (grid.cadence > 0.0) {
    // It ships in the first flagship slot once its training run is done.
    const double release = grid.first_at_or_after(trained);
    return FrontierRelease{release, first_success_on_grid(m, pl, grid, release, first_succeeds, factors, rng)};
  }
  // None was reported before the data date: a training run finishing before it has not
  // shipped, and runs from the data date instead.
  const double release = trained < m.data_date_month ? m.data_date_month + g[pl.draw_begin + kTrainingMonths] : trained;
  return FrontierRelease{release, release < m.months && first_succeeds ? release : INFINITY};
}

}  // namespace buildout
