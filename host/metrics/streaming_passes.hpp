#pragma once
// Bounded-memory aggregation: the backend simulates every path once per pass
// (kSummaryPasses passes) and each batch goes straight to the Aggregator, so
// memory does not grow with the path count. Path i's numbers depend only on
// (seed, i), so each pass sees the same results, and the statistics are the
// ones in-memory aggregation gives, to the bit. The run can checkpoint between
// batches and resume from a checkpoint with the same bits as an uninterrupted run.
#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "host/engine/backend.hpp"
#include "host/engine/progress.hpp"
#include "host/engine/ranks.hpp"
#include "aggregate.hpp"
#include "checkpoint.hpp"

namespace buildout {

struct StreamingControl {
  std::string checkpoint;          // write here (empty: never)
  double checkpoint_every_s = 600;
  std::string resume;              // continue from this checkpoint (empty: from the start)
  CheckpointIdentity identity;
  const std::atomic<int>* stop = nullptr;  // non-zero: checkpoint after this batch and stop
};

struct StreamingTimes {
  double simulate_s = 0, aggregate_s = 0;
};

// Thrown once the checkpoint is written when `stop` was raised.
struct RunStopped : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Under several ranks, each simulates its blocks (Ranks::range) and, after each pass, rank 0
// merges every rank's summaries in rank order, finishes the pass and hands the result back to
// all; only rank 0's Results are filled. Checkpoints are for one rank.
Results aggregate_streaming(const CompiledModel& m, Backend& backend, std::uint64_t paths, std::uint64_t batch, int threads,
                            Progress* progress, const StreamingControl& control, StreamingTimes& times, const Ranks& ranks);

}  // namespace buildout
