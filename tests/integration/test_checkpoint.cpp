// Checkpoint and resume, as an operator meets them: a run killed at any point
// (kill -9, or SIGTERM from Slurm) and resumed gives the uninterrupted run's
// reports byte for byte; a checkpoint of another run, or a corrupt one, is refused.
#include <filesystem>
#include <fstream>

#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace buildout::testing;

namespace {

struct Dir {
  fs::path path;
  explicit Dir(const std::string& name) : path(fs::temp_directory_path() / ("buildout_ckpt_" + name)) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Dir() { fs::remove_all(path); }
  std::string operator/(const std::string& f) const { return (path / f).string(); }
};

const std::string kRun = std::string(BUILDOUT_BINARY) + " run --paths 60000 --batch 5000 --threads 2 --progress none ";

// Starts a checkpointed run in the background, waits until it has written a checkpoint in its
// second pass or later, then sends `signal`; returns the run's exit code.
int interrupt(const Dir& d, const std::string& signal) {
  const Result r = shell("(" + kRun + "--checkpoint " + d / "ck.bin" + " --checkpoint-every 0 --out " + d / "part" + " > " + d / "part.log" +
                         " 2>&1 & pid=$!; for i in $(seq 600); do [ -f " + d / "ck.bin" + " ] && [ $(stat -c %s " + d / "ck.bin" +
                         ") -gt 0 ] && grep -q . " + d / "part.log" + " && break; sleep 0.05; done; sleep 1; kill -" + signal +
                         " $pid; wait $pid; echo exit=$?)");
  const auto at = r.output.find("exit=");
  return at == std::string::npos ? -1 : std::stoi(r.output.substr(at + 5));
}

TEST(Checkpoint, KillNineAnywhereThenResumeGivesTheUninterruptedBytes) {
  const Dir d("kill");
  ASSERT_EQ(shell(kRun + "--percentiles streaming --out " + d / "full").code, 0);
  EXPECT_EQ(interrupt(d, "9"), 137);
  EXPECT_FALSE(fs::exists(d / "part/percentiles.csv"));  // nothing half-written
  const Result resumed = shell(kRun + "--resume " + d / "ck.bin" + " --out " + d / "resumed");
  ASSERT_EQ(resumed.code, 0) << resumed.output;
  for (const char* f : {"percentiles.csv", "sites.csv", "headline.md"})
    EXPECT_EQ(read_file(d / (std::string("full/") + f)), read_file(d / (std::string("resumed/") + f))) << f;
}

TEST(Checkpoint, SigtermWritesACheckpointAndExitsThree) {
  const Dir d("term");
  ASSERT_EQ(shell(kRun + "--percentiles streaming --out " + d / "full").code, 0);
  EXPECT_EQ(interrupt(d, "TERM"), 3);
  EXPECT_NE(read_file(d / "part.log").find("resume with --resume"), std::string::npos) << read_file(d / "part.log");
  const Result resumed = shell(kRun + "--resume " + d / "ck.bin" + " --checkpoint " + d / "ck.bin" + " --out " + d / "resumed");
  ASSERT_EQ(resumed.code, 0) << resumed.output;
  EXPECT_EQ(read_file(d / "full/percentiles.csv"), read_file(d / "resumed/percentiles.csv"));
}

TEST(Checkpoint, AnotherRunsOrACorruptCheckpointIsRefused) {
  const Dir d("refuse");
  const std::string ck = d / "ck.bin";
  ASSERT_EQ(shell(std::string(BUILDOUT_BINARY) + " run --paths 3000 --batch 1000 --progress none --checkpoint " + ck +
                  " --checkpoint-every 0 --out " + d / "a").code, 0);
  const std::string resume = std::string(BUILDOUT_BINARY) + " run --batch 1000 --progress none --resume " + ck + " --out " + d / "b";
  const auto expect_refused = [&](const std::string& extra, const std::string& why) {
    const Result r = shell(resume + " " + extra);
    EXPECT_EQ(r.code, 2) << r.output;
    EXPECT_NE(r.output.find(why), std::string::npos) << why << " in " << r.output;
    EXPECT_FALSE(fs::exists(d / "b"));
  };
  expect_refused("--paths 3000 --seed 5", "written for seed 20250101, this run's is 5");
  expect_refused("--paths 4000", "written for 3000 paths, this run has 4000");
  expect_refused(source_path("configs/stress-demand-bust.toml") + " --paths 3000", "written for config fnv1a64:");
  expect_refused("--paths 3000 --percentiles exact", "need --percentiles streaming");
  {
    std::string bytes = read_file(ck);
    bytes[bytes.size() / 2] ^= 0x20;
    std::ofstream(ck, std::ios::binary) << bytes;
  }
  expect_refused("--paths 3000", "corrupt");
  std::ofstream(ck, std::ios::binary) << "not a checkpoint";
  expect_refused("--paths 3000", "not a Buildout checkpoint");
}

}  // namespace
