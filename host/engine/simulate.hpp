#pragma once
// Runs all paths in batches and gathers per-path results into host arrays.
// Path i's numbers depend only on (seed, i), and results land at index i, so
// the gathered arrays are the same for any batch size, thread count or device.
#include <cstdint>
#include <functional>
#include <vector>

#include "host/model/compiled_model.hpp"
#include "backend.hpp"
#include "path_buffers.hpp"
#include "progress.hpp"

namespace buildout {

struct PathResults {
  std::uint64_t paths = 0;
  int n_players = 0, n_sites = 0;
  std::vector<float> player_metrics;         // [(metric * n_players + player) * paths + path]
  std::vector<std::uint8_t> player_flags;    // [player * paths + path]
  std::vector<float> site_ready_month;       // [site * paths + path]
  std::vector<std::vector<std::uint64_t>> critical_counts;  // [site][activity]: paths critical

  const float* metric(int m, int player) const { return player_metrics.data() + (static_cast<std::uint64_t>(m) * n_players + player) * paths; }
  const std::uint8_t* flags(int player) const { return player_flags.data() + static_cast<std::uint64_t>(player) * paths; }
  const float* ready(int site) const { return site_ready_month.data() + static_cast<std::uint64_t>(site) * paths; }
};

// What a run holds in host memory, by part, in bytes; sums saturate instead of wrapping.
struct MemoryEstimate {
  std::uint64_t baseline;        // resident before the run: the program, the config, its compiled model
  std::uint64_t kept_per_path;   // per-path results kept (aggregation in memory)
  std::uint64_t batch_per_path;  // one batch's buffers (mirrored on a GPU)
  std::uint64_t batch;           // one batch's buffers
  std::uint64_t summaries;       // the aggregation's summaries, whatever the path count
  // Streaming: copies of the summaries' state while a checkpoint is written (one rank's entry)
  // or ranks merge (on rank 0, another rank's summaries, their state as sent, the state sent back).
  std::uint64_t transfer;
  std::uint64_t total;           // for the whole run, keeping every path
  std::uint64_t streaming;       // for the whole run, keeping none
};

// Host bytes a run needs; `summaries`: what its aggregation holds (Aggregator::bytes).
MemoryEstimate estimate_memory(const CompiledModel& m, std::uint64_t paths, std::uint64_t batch, std::uint64_t summaries, bool checkpointed,
                               int ranks);

// This process's resident memory now (Linux: /proc/self/statm), 0 where it cannot be read.
std::uint64_t resident_bytes();
// The most it has been resident so far (getrusage's ru_maxrss).
std::uint64_t peak_resident_bytes();

std::uint64_t default_batch(const Backend& backend, std::uint64_t paths);

// A rule that may end a run before all its paths: each batch's results are passed to `add` in
// path order, and `met` is asked at every multiple of `check_every` paths (batches are cut
// there), so where a run stops depends on its results alone, not on how it was batched.
struct EarlyStop {
  std::uint64_t check_every;
  std::function<void(const PathBuffers&, std::uint64_t n)> add;
  std::function<bool()> met;
};

// `progress` counts the paths done on top of `progress_before` (runs after earlier ones under
// one progress line); the caller finishes it.
PathResults simulate(const CompiledModel& m, Backend& backend, std::uint64_t paths, std::uint64_t batch, Progress* progress,
                     std::uint64_t progress_before = 0, EarlyStop* early_stop = nullptr);

}  // namespace buildout
