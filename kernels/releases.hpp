#pragma once
// Flagship releases on a cadence (docs/MODEL.md 6): after the data date a player ships
// every `cadence` months, on a grid anchored at its last reported release (or, with none, at
// a drawn phase before the data date). Releases before the data date are the reported ones.
#include <cmath>

#include "model_view.hpp"
#include "platform.hpp"

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

}  // namespace buildout
