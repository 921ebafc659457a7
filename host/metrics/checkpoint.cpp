#include "checkpoint.hpp"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../config/config_error.hpp"
#include "../config/fnv1a64.hpp"

namespace buildout {
namespace {

constexpr char kMagic[] = "BUILDOUT-CHECKPOINT\n";
constexpr std::uint32_t kFormat = 3;  // 2: the sampler follows the path count; 3: a column summary keeps its first prefix slot by top 12 bits

}  // namespace

std::string checkpoint_entry(const CheckpointPosition& at, const Aggregator& agg) {
  ByteWriter w;
  w.put(at.pass);
  w.put(at.next_path);
  w.put(at.simulate_s);
  w.put(at.aggregate_s);
  agg.save(w);
  return w.bytes();
}

void write_checkpoint(const std::string& path, const CheckpointIdentity& id, const std::vector<std::string>& entries) {
  ByteWriter w;
  w.put(kFormat);
  w.put_string(id.version);
  w.put_string(id.config_hash);
  w.put(id.seed);
  w.put(id.paths);
  w.put_string(id.sampler);
  w.put<std::uint32_t>(static_cast<std::uint32_t>(entries.size()));
  for (const auto& e : entries) w.put_string(e);
  const std::string body = std::string(kMagic) + w.bytes();
  const std::uint64_t checksum = fnv1a64(body);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    out.write(reinterpret_cast<const char*>(&checksum), sizeof checksum);
    out.flush();
    if (!out) throw UserError("--checkpoint " + path + ": cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw UserError("--checkpoint " + path + ": cannot rename " + tmp + " into place: " + ec.message());
}

CheckpointPosition read_checkpoint(const std::string& path, const CheckpointIdentity& expected, int rank, int ranks, Aggregator& agg) {
  const auto refuse = [&](const std::string& why) { return UserError("--resume " + path + ": " + why); };
  std::ifstream in(path, std::ios::binary);
  if (!in) throw refuse("cannot read it");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string file = ss.str();
  const std::size_t magic = sizeof kMagic - 1;
  if (file.size() < magic + sizeof(std::uint64_t) || file.compare(0, magic, kMagic) != 0) throw refuse("not a Buildout checkpoint");
  const std::string body = file.substr(0, file.size() - sizeof(std::uint64_t));
  std::uint64_t checksum;
  std::memcpy(&checksum, file.data() + body.size(), sizeof checksum);
  if (checksum != fnv1a64(body)) throw refuse("corrupt (its checksum does not match its contents)");
  try {
    ByteReader r(body.data() + magic, body.size() - magic);
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
    if (at.pass < 0 || at.pass >= kSummaryPasses || at.next_path > paths) throw refuse("corrupt (its position is impossible)");
    agg.load(e);
    if (!e.at_end()) throw refuse("corrupt (bytes after the state)");
    return at;
  } catch (const std::runtime_error& e) {
    if (dynamic_cast<const UserError*>(&e)) throw;
    throw refuse(std::string("corrupt (") + e.what() + ")");
  }
}

}  // namespace buildout
