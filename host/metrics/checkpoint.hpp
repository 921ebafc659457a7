#pragma once
// A streaming run's checkpoint: who it belongs to (version, config hash, seed,
// paths), where it stands (pass, next path) and the aggregator's whole state,
// with a checksum. Written to FILE.tmp and renamed into place, so a kill at any
// moment leaves the previous checkpoint or the new one, never half of one.
#include <cstdint>
#include <string>

#include "aggregate.hpp"

namespace buildout {

struct CheckpointIdentity {
  std::string version, config_hash;
  std::uint64_t seed = 0, paths = 0;
};

struct CheckpointPosition {
  int pass = 0;
  std::uint64_t next_path = 0;  // the first path of the pass not yet aggregated
  double simulate_s = 0, aggregate_s = 0;  // spent so far
};

void write_checkpoint(const std::string& path, const CheckpointIdentity& id, const CheckpointPosition& at, const Aggregator& agg);

// Restores `agg` and returns where the run stands. A file that is not a
// checkpoint, is corrupt, or belongs to another version, config, seed or path
// count is refused with UserError naming the file and the reason.
CheckpointPosition read_checkpoint(const std::string& path, const CheckpointIdentity& expected, Aggregator& agg);

}  // namespace buildout
