#pragma once
// Host memory for one batch of per-path results, laid out as PathOutputsView.
#include <cstdint>
#include <vector>

#include "host/model/compiled_model.hpp"

namespace buildout {

struct PathBuffers {
  std::uint64_t stride = 0;
  std::vector<float> player_metrics;
  std::vector<std::uint8_t> player_flags;
  std::vector<float> site_ready_month;
  std::vector<std::uint64_t> site_critical;

  void resize(const CompiledModel& m, std::uint64_t batch) {
    stride = batch;
    player_metrics.assign(batch * m.n_player_metrics() * m.n_players(), 0.0f);
    player_flags.assign(batch * m.n_players(), 0);
    site_ready_month.assign(batch * m.n_sites(), 0.0f);
    site_critical.assign(batch * m.n_sites(), 0);
  }
  PathOutputsView view() {
    return PathOutputsView{stride, player_metrics.data(), player_flags.data(), site_ready_month.data(), site_critical.data()};
  }
  // Bytes per path of these buffers (the same layout is mirrored on a GPU).
  static std::uint64_t bytes_per_path(const CompiledModel& m) {
    return static_cast<std::uint64_t>(m.n_players()) * (m.n_player_metrics() * sizeof(float) + 1) +
           static_cast<std::uint64_t>(m.n_sites()) * (sizeof(float) + sizeof(std::uint64_t));
  }
};

}  // namespace buildout
