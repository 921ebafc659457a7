#pragma once
// A streaming run's checkpoint: who it belongs to (version, config hash, seed,
// paths), and for each rank where it stands (pass, next path) and its
// aggregator's whole state, with a checksum. Written to FILE.tmp and renamed
// into place, so a kill at any moment leaves the previous checkpoint or the
// new one, never half of one. Under mpirun rank 0 writes every rank's entry;
// a run resumes with as many ranks as wrote it.
#include <cstdint>
#include <string>
#include <vector>

#include "aggregate.hpp"

namespace buildout {

struct CheckpointIdentity {
  std::string version, config_hash;
  std::uint64_t seed = 0, paths = 0;
  std::string sampler = "philox";
};

struct CheckpointPosition {
  int pass = 0;
  std::uint64_t next_path = 0;  // the first path of the pass not yet aggregated
  double simulate_s = 0, aggregate_s = 0;  // spent so far
};

// One rank's entry: its position and its aggregator's state.
std::string checkpoint_entry(const CheckpointPosition& at, const Aggregator& agg);

// `entries`: every rank's, in rank order.
void write_checkpoint(const std::string& path, const CheckpointIdentity& id, const std::vector<std::string>& entries);

// Restores rank `rank`'s `agg` and returns where it stands. A file that is not
// a checkpoint, is corrupt, belongs to another version, config, seed or path
// count, or was written by another number of ranks is refused with UserError
// naming the file and the reason.
CheckpointPosition read_checkpoint(const std::string& path, const CheckpointIdentity& expected, int rank, int ranks, Aggregator& agg);

}  // namespace buildout
