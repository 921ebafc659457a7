#pragma once
// A streaming run's checkpoint: who it belongs to (version, config hash, seed,
// paths), and for each rank where it stands (pass, next path) and its
// aggregator's whole state, with a checksum. Written through a temporary file
// beside it and renamed into place (host/io/output_file.hpp), so a kill at any
// moment leaves the previous checkpoint or the new one, never half of one, and
// a planted link or a device at its path is refused, never written through.
// Under mpirun rank 0 writes every rank's entry as it arrives; a run resumes
// with as many ranks as wrote it.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "aggregate.hpp"

namespace buildout {

class TempFile;

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

// Writes a checkpoint entry by entry, in rank order; nothing is at `path` until commit().
class CheckpointWriter {
 public:
  CheckpointWriter(const std::string& path, const CheckpointIdentity& id, int ranks);
  ~CheckpointWriter();
  void add(const std::string& entry);
  void commit();  // after every rank's entry

 private:
  std::unique_ptr<TempFile> file_;
  std::uint64_t checksum_;
};

// Before a checkpointed run simulates: the checkpoint's folder takes a new file and its path
// is absent or a regular file (UserError naming --checkpoint and the reason otherwise).
void check_checkpoint_path(const std::string& path);

// Restores rank `rank`'s `agg` and returns where it stands; the rank's paths are [first, end).
// A file that is not a checkpoint, is corrupt, belongs to another version, config, seed or
// path count, was written by another number of ranks, or holds a state the run cannot be in
// (counts that do not add up to its position: a forged file) is refused with UserError
// naming the file and the reason.
CheckpointPosition read_checkpoint(const std::string& path, const CheckpointIdentity& expected, int rank, int ranks, std::uint64_t first,
                                   std::uint64_t end, Aggregator& agg);

// The largest a checkpoint of `ranks` ranks of this model can be.
std::uint64_t checkpoint_bytes_bound(const CompiledModel& m, int ranks);

}  // namespace buildout
