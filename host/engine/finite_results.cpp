#include "finite_results.hpp"

#include <cmath>
#include <sstream>

namespace buildout {

void require_finite_results(const CompiledModel& m, const PathBuffers& buf, std::uint64_t first, std::uint64_t n) {
  // The lowest bad path over all columns, so the message does not depend on the column order.
  std::uint64_t bad_path = n;
  int bad_column = -1;
  const int P = m.n_players(), metric_columns = m.n_player_metrics() * P;
  const auto column_of = [&](int c) {
    return c < metric_columns ? buf.player_metrics.data() + c * buf.stride
                              : buf.site_ready_month.data() + (c - metric_columns) * buf.stride;
  };
  for (int c = 0; c < metric_columns + m.n_sites(); ++c) {
    const float* column = column_of(c);
    for (std::uint64_t i = 0; i < bad_path; ++i)
      if (!std::isfinite(column[i])) {
        bad_path = i;
        bad_column = c;
        break;
      }
  }
  if (bad_column < 0) return;
  std::ostringstream os;
  os << "path " << first + bad_path << " (seed " << m.seed << ") gave a non-finite ";
  if (bad_column < metric_columns)
    os << m.player_columns[bad_column / P].name << " for player " << m.player_ids[bad_column % P];
  else
    os << "ready month for site " << m.site_ids[bad_column - metric_columns];
  os << " (" << column_of(bad_column)[bad_path] << "); nothing was written. Validation should have refused the config that leads "
     << "here: please report it with the config and this message";
  throw NonFiniteResult(os.str());
}

}  // namespace buildout
