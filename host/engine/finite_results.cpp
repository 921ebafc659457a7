#include "finite_results.hpp"

#include <cmath>
#include <sstream>

namespace buildout {

NonFinite find_non_finite(const CompiledModel& m, const PathBuffers& buf, std::uint64_t n, int begin, int end) {
  NonFinite bad{n};
  const int metric_columns = m.n_player_metrics() * m.n_players();
  for (int c = begin; c < end; ++c) {
    const float* column = c < metric_columns ? buf.player_metrics.data() + c * buf.stride
                                             : buf.site_ready_month.data() + (c - metric_columns) * buf.stride;
    for (std::uint64_t i = 0; i < bad.path; ++i)
      if (!std::isfinite(column[i])) {
        bad = NonFinite{i, c, column[i]};
        break;
      }
  }
  return bad;
}

void require_finite(const CompiledModel& m, std::uint64_t first, const NonFinite& bad) {
  if (bad.column < 0) return;
  const int P = m.n_players(), metric_columns = m.n_player_metrics() * P;
  std::ostringstream os;
  os << "path " << first + bad.path << " (seed " << m.seed << ") gave a non-finite ";
  if (bad.column < metric_columns)
    os << m.player_columns[bad.column / P].name << " for player " << m.player_ids[bad.column % P];
  else
    os << "ready month for site " << m.site_ids[bad.column - metric_columns];
  os << " (" << bad.value << "); nothing was written. Validation should have refused the config that leads "
     << "here: please report it with the config and this message";
  throw NonFiniteResult(os.str());
}

void require_finite_results(const CompiledModel& m, const PathBuffers& buf, std::uint64_t first, std::uint64_t n) {
  require_finite(m, first, find_non_finite(m, buf, n, 0, m.n_player_metrics() * m.n_players() + m.n_sites()));
}

}  // namespace buildout
