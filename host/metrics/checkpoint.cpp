#include "checkpoint.hpp"

#include <cstring>

#include "host/config/config_error.hpp"
#include "host/io/input_file.hpp"
#include "host/io/output_file.hpp"

namespace buildout {
namespace {

constexpr char kMagic[] = "BUILDOUT-CHECKPOINT\n";
constexpr std::uint32_t kFormat = 3;  // 2: the sampler follows the path count; 3: a column summary keeps its first prefix slot by top 12 bits

// FNV-1a, 64 bits, over bytes as they are written.
std::uint64_t fnv1a64_more(std::uint64_t h, const char* data, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(data[i])) * 1099511628211ull;
  return h;
}
constexpr std::uint64_t kFnvBasis = 1469598103934665603ull;

}  // namespace

std::string checkpoint_entry(const CheckpointPosition& at, const Aggregator& agg) {
  ByteWriter w;
  w.reserve(64 + Aggregator::bytes(agg.model()));  // growing by doubling would touch twice the state's bytes
  w.put(at.pass);
  w.put(at.next_path);
  w.put(at.simulate_s);
  w.put(at.aggregate_s);
  agg.save(w);
  return w.take();
}

std::uint64_t checkpoint_bytes_bound(const CompiledModel& m, int ranks) {
  // The header (its strings are a version, a hash, a sampler: short), and per rank its entry's
  // length, position and state.
  return 4096 + static_cast<std::uint64_t>(ranks) * (64 + Aggregator::bytes(m));
}

void check_checkpoint_path(const std::string& path) {
  check_replaceable(path, "--checkpoint");
  check_writable_folder(folder_of(path), "--checkpoint", path);
}

CheckpointWriter::CheckpointWriter(const std::string& path, const CheckpointIdentity& id, int ranks) {
  check_replaceable(path, "--checkpoint");
  remove_stale_temps(path);
  file_ = std::make_unique<TempFile>(path, "--checkpoint");
  ByteWriter w;
  w.put(kFormat);
  w.put_string(id.version);
  w.put_string(id.config_hash);
  w.put(id.seed);
  w.put(id.paths);
  w.put_string(id.sampler);
  w.put<std::uint32_t>(static_cast<std::uint32_t>(ranks));
  const std::string head = std::string(kMagic) + w.bytes();
  checksum_ = fnv1a64_more(kFnvBasis, head.data(), head.size());
  file_->write(head);
}

CheckpointWriter::~CheckpointWriter() = default;

void CheckpointWriter::add(const std::string& entry) {
  const std::uint64_t n = entry.size();
  checksum_ = fnv1a64_more(checksum_, reinterpret_cast<const char*>(&n), sizeof n);
  checksum_ = fnv1a64_more(checksum_, entry.data(), entry.size());
  file_->write(&n, sizeof n);
  file_->write(entry);
}

void CheckpointWriter::commit() {
  file_->write(&checksum_, sizeof checksum_);
  file_->finish();
  file_->rename_into_place();
}

CheckpointPosition read_checkpoint(const std::string& path, const CheckpointIdentity& expected, int rank, int ranks, std::uint64_t first,
                                   std::uint64_t end, Aggregator& agg) {
  const auto refuse = [&](const std::string& why) { return UserError("--resume " + path + ": " + why); };
  std::string file;
  try {
    file = read_input_file(path, "the checkpoint", checkpoint_bytes_bound(agg.model(), ranks));
  } catch (const UserError& e) {
    throw refuse(e.what());
  }
  const std::size_t magic = sizeof kMagic - 1;
  if (file.size() < magic + sizeof(std::uint64_t) || file.compare(0, magic, kMagic) != 0) throw refuse("not a Buildout checkpoint");
  const std::size_t body = file.size() - sizeof(std::uint64_t);
  std::uint64_t checksum;
  std::memcpy(&checksum, file.data() + body, sizeof checksum);
  if (checksum != fnv1a64_more(kFnvBasis, file.data(), body)) throw refuse("corrupt (its checksum does not match its contents)");
  try {
    ByteReader r(file.data() + magic, body - magic);
    if (r.get<std::uint32_t>() != kFormat) throw refuse("written in another checkpoint format");
    const std::string version = r.get_string(), hash = r.get_string();
    const auto seed = r.get<std::uint64_t>(), paths = r.get<std::uint64_t>();
    const std::string sampler = r.get_string();
    if (version != expected.version) throw refuse("written by buildout " + version + ", this is " + expected.version);
    if (hash != expected.config_hash) throw refuse("written for config fnv1a64:" + hash + ", this run's is fnv1a64:" + expected.config_hash);
    if (seed != expected.seed) throw refuse("written for seed " + std::to_string(seed) + ", this run's is " + std::to_string(expected.seed));
    if (paths != expected.paths)
      throw refuse("written for " + std::to_string(paths) + " paths, this run has " + std::to_string(expected.paths));
    if (sampler != expected.sampler) throw refuse("written with --sampler " + sampler + ", this run's is " + expected.sampler);
    const auto written_ranks = r.get<std::uint32_t>();
    if (written_ranks != static_cast<std::uint32_t>(ranks))
      throw refuse("written by " + std::to_string(written_ranks) + " rank(s), this run has " + std::to_string(ranks) + ": resume with as many");
    std::string entry;
    for (int k = 0; k <= rank; ++k) entry = r.get_string();
    ByteReader e(entry.data(), entry.size());
    CheckpointPosition at;
    at.pass = e.get<int>();
    at.next_path = e.get<std::uint64_t>();
    at.simulate_s = e.get<double>();
    at.aggregate_s = e.get<double>();
    if (at.pass < 0 || at.pass >= kSummaryPasses || at.next_path < first || at.next_path > end) throw refuse("corrupt (its position is impossible)");
    if (!(at.simulate_s >= 0 && at.aggregate_s >= 0 && at.simulate_s < 1e12 && at.aggregate_s < 1e12))
      throw refuse("corrupt (its times are impossible)");
    agg.load(e);
    if (!e.at_end()) throw refuse("corrupt (bytes after the state)");
    agg.validate(at.pass, at.next_path - first);
    return at;
  } catch (const std::runtime_error& e) {
    if (dynamic_cast<const UserError*>(&e)) throw;
    throw refuse(std::string("corrupt (") + e.what() + ")");
  }
}

}  // namespace buildout
