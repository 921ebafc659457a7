// What Buildout reads and writes cannot be redirected, mixed or forged, as an attacker on
// shared cluster storage or an unlucky operator would try (issue 31's reproducers): devices and
// planted links are refused, never written through; a report set is committed whole; input files
// are read only when they are regular and of a sane size; flags cannot wrap; a forged
// checkpoint is refused; the memory estimate bounds the run.
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <regex>

#include "host/cli/commands.hpp"
#include "host/config/fnv1a64.hpp"
#include "host/metrics/checkpoint.hpp"
#include "host/metrics/streaming_passes.hpp"
#include "host/report/reports.hpp"
#include "host/report/output_files.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace buildout;
using namespace buildout::testing;

namespace {

struct Dir {
  fs::path path;
  explicit Dir(const std::string& name) : path(fresh_dir("io-" + name)) { fs::create_directories(path); }
  ~Dir() { fs::remove_all(path); }
  std::string operator/(const std::string& f) const { return (path / f).string(); }
};

const std::string kRun = "run --paths 2000 --batch 1000 --threads 2 --progress none ";

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// `sha256sum -c` of a report set's manifest, run in its folder, as a reader would check it.
bool manifest_verifies(const std::string& dir, const std::string& set) {
  return shell("cd " + dir + " && sha256sum --quiet --strict -c " + set + ".manifest").code == 0;
}

TEST(SafeOutputs, ADeviceAtTheCheckpointPathIsRefusedNotReplaced) {
  const Dir d("device");
  const std::string node = d / "fakenull";
  if (::mknod(node.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) GTEST_SKIP() << "mknod needs root";
  const Result r = sh(kRun + "--checkpoint " + node + " --checkpoint-every 0 --out " + d / "o");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--checkpoint " + node + ": it exists and is a character device, not a regular file"), std::string::npos) << r.output;
  struct stat st{};
  ASSERT_EQ(::lstat(node.c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_FALSE(fs::exists(d / "o"));  // refused before anything was simulated or written
}

TEST(SafeOutputs, PlantedLinksAtTheOldTemporaryNamesAreNeverFollowed) {
  const Dir d("links");
  write(d / "victim.txt", "data\n");
  fs::create_directories(d / "shared");
  fs::create_symlink(d / "victim.txt", d / "shared/S.ckpt.tmp");
  fs::create_directories(d / "out");
  for (int pid = 1; pid < 4000; pid += 7) fs::create_symlink(d / "victim.txt", d / ("out/.headline.md.tmp." + std::to_string(pid)));
  const Result r = sh(kRun + "--checkpoint " + d / "shared/S.ckpt" + " --checkpoint-every 0 --out " + d / "out");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(read_file(d / "victim.txt"), "data\n");
  EXPECT_EQ(read_file(d / "shared/S.ckpt").rfind("BUILDOUT-CHECKPOINT", 0), 0u);
  EXPECT_TRUE(manifest_verifies(d / "out", "run"));
}

TEST(SafeOutputs, ALinkOrAFolderWhereAReportGoesIsRefusedBeforeAnythingChanges) {
  const Dir d("mixed");
  ASSERT_EQ(sh(kRun + "--out " + d / "mix").code, 0);
  const std::string before = read_file(d / "mix/summary.json");
  fs::remove(d / "mix/headline.md");
  fs::create_directories(d / "mix/headline.md/x");
  Result r = sh(kRun + "--seed 7 --out " + d / "mix");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("mix/headline.md: it exists and is a directory"), std::string::npos) << r.output;
  EXPECT_EQ(read_file(d / "mix/summary.json"), before);  // nothing of seed 7's set was written
  fs::remove_all(d / "mix/headline.md");
  write(d / "victim.txt", "data\n");
  fs::create_symlink(d / "victim.txt", d / "mix/headline.md");
  r = sh(kRun + "--seed 7 --out " + d / "mix");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("is a symbolic link"), std::string::npos) << r.output;
  EXPECT_EQ(read_file(d / "victim.txt"), "data\n");
  EXPECT_EQ(read_file(d / "mix/summary.json"), before);
}

TEST(SafeOutputs, EverySetHasAManifestThatVerifiesAndTidiesItsOwnOldFiles) {
  const Dir d("manifest");
  ASSERT_EQ(sh(kRun + "--out " + d / "o").code, 0);
  EXPECT_TRUE(manifest_verifies(d / "o", "run"));
  const std::string manifest = read_file(d / "o/run.manifest");
  for (const char* f : {"summary.json", "percentiles.csv", "sites.csv", "headline.md"}) EXPECT_NE(manifest.find(std::string("  ") + f + "\n"), std::string::npos);
  EXPECT_NE(manifest.find("# seed 20250101, 2000 paths"), std::string::npos) << manifest;
  // A file of the set changed afterwards no longer verifies.
  write(d / "o/headline.md", "edited\n");
  EXPECT_FALSE(manifest_verifies(d / "o", "run"));
  // A later sensitivity set without a tornado removes the old set's tornado.csv.
  const std::string sens = "sensitivity --paths 256 --threads 2 --progress none --groups market.price_level,power --out " + d / "o";
  ASSERT_EQ(sh(sens + " --method both").code, 0);
  EXPECT_TRUE(fs::exists(d / "o/tornado.csv"));
  ASSERT_EQ(sh(sens + " --method sobol").code, 0);
  EXPECT_FALSE(fs::exists(d / "o/tornado.csv"));
  EXPECT_TRUE(manifest_verifies(d / "o", "sensitivity"));
  EXPECT_TRUE(fs::exists(d / "o/run.manifest"));  // another command's set is left alone
}

TEST(SafeOutputs, ACommitThatACrashCutShortIsCompletedByTheNext) {
  // What kill -9 leaves after the journal was written and two of three renames were done:
  // the journal, one temporary, and the set without its manifest.
  const Dir d("journal");
  write(d / "a.csv", "new a\n");
  write(d / "b.csv", "new b\n");
  write(d / ".c.csv.tmp-host-999999-abcdef", "new c\n");
  write(d / ".x.manifest.tmp-host-999999-abcdef", "# the crashed set's manifest\n");
  write(d / ".buildout-journal", "buildout-journal 1\nunlink x.manifest\nrename .a.csv.tmp-host-999999-aaaaaa a.csv\n"
                                 "rename .b.csv.tmp-host-999999-bbbbbb b.csv\nrename .c.csv.tmp-host-999999-abcdef c.csv\n"
                                 "rename .x.manifest.tmp-host-999999-abcdef x.manifest\n");
  OutputFiles next("y", {"a test"});
  next.add("y.csv", "y\n");
  next.commit(d.path.string());
  EXPECT_EQ(read_file(d / "c.csv"), "new c\n");
  EXPECT_EQ(read_file(d / "x.manifest"), "# the crashed set's manifest\n");
  EXPECT_FALSE(fs::exists(d / ".buildout-journal"));
  EXPECT_TRUE(manifest_verifies(d.path.string(), "y"));
  // Only the lock file is left beside the sets: no temporaries.
  for (const auto& e : fs::directory_iterator(d.path))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
}

TEST(SafeOutputs, KillNineWhileWritingNeverLeavesASetThatClaimsToBeWhole) {
  const Dir d("kill");
  ASSERT_EQ(sh(kRun + "--out " + d / "o").code, 0);
  for (int k = 0; k < 8; ++k) {
    // Killed at a different moment of the write phase each time (the simulation takes ~0.5 s).
    const std::string delay = std::to_string(0.3 + 0.05 * k);
    shell("(" + std::string(BUILDOUT_BINARY) + " " + kRun + "--seed " + std::to_string(k) + " --out " + d / "o" +
          " >/dev/null 2>&1 & pid=$!; sleep " + delay + "; kill -9 $pid; wait $pid)");
    // Either the set is between two (no manifest), or the manifest verifies it.
    if (fs::exists(d / "o/run.manifest")) EXPECT_TRUE(manifest_verifies(d / "o", "run")) << "after a kill at " << delay << " s";
  }
  ASSERT_EQ(sh(kRun + "--out " + d / "o").code, 0);
  EXPECT_TRUE(manifest_verifies(d / "o", "run"));
  for (const auto& e : fs::directory_iterator(d / "o"))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
}

TEST(SafeOutputs, TwoRunsIntoOneFolderLeaveOneWholeSet) {
  const Dir d("two");
  const Result r = shell("(" + std::string(BUILDOUT_BINARY) + " " + kRun + "--seed 1 --out " + d / "o" + " & p1=$!; " + BUILDOUT_BINARY + " " + kRun +
                         "--seed 2 --out " + d / "o" + " & p2=$!; wait $p1 && wait $p2) >/dev/null 2>&1");
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(manifest_verifies(d / "o", "run"));
  const std::string manifest = read_file(d / "o/run.manifest"), summary = read_file(d / "o/summary.json");
  const bool seed1 = manifest.find("# seed 1,") != std::string::npos;
  EXPECT_NE(summary.find(seed1 ? "\"seed\": 1," : "\"seed\": 2,"), std::string::npos);
}

TEST(SafeOutputs, AnUnwritableOrFullOutputFolderFailsBeforeTheRunOrNamesTheReason) {
  const Dir d("full");
  const std::string mnt = d / "mnt";
  fs::create_directories(mnt);
  if (shell("mount -t tmpfs -o size=64k tmpfs " + mnt).code != 0) GTEST_SKIP() << "cannot mount a small filesystem here";
  // Full: the reports do not fit in 64 KB.
  Result r = sh(kRun + "--out " + mnt + "/o");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("No space left on device"), std::string::npos) << r.output;
  EXPECT_EQ(shell("ls -A " + mnt + "/o").output, ".buildout.lock\n");  // no temporary left to keep the disk full
  // A full disk under a periodic checkpoint: the run goes on without it, and says so.
  r = sh(kRun + "--checkpoint " + mnt + "/ck --checkpoint-every 0 --out " + d / "o2");
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("warning: checkpoint not written, the run goes on: --checkpoint " + mnt + "/ck: cannot write"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("No space left on device"), std::string::npos) << r.output;
  // Read-only: refused before anything is simulated.
  ASSERT_EQ(shell("mount -o remount,ro " + mnt).code, 0);
  r = sh(kRun + "--out " + mnt + "/o3");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("Read-only file system"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("simulated"), std::string::npos) << r.output;
  r = sh(kRun + "--checkpoint " + mnt + "/ck --out " + d / "o4");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("Read-only file system"), std::string::npos) << r.output;
  shell("umount " + mnt);
}

TEST(SafeOutputs, AMissingCheckpointFolderIsRefusedAtTheStart) {
  const Dir d("ckfolder");
  const Result r = sh(kRun + "--checkpoint " + d / "no/such/folder/ck" + " --out " + d / "o");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--checkpoint " + d / "no/such/folder/ck" + ": its folder " + d / "no/such/folder" + " cannot be used: No such file or directory"),
            std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(d / "o"));
}

TEST(SafeOutputs, TwoRunsCannotWriteOneCheckpoint) {
  const Dir d("cklock");
  const std::string ck = d / "ck";
  const Result r = shell("(" + std::string(BUILDOUT_BINARY) + " run --paths 40000 --batch 1000 --threads 1 --progress none --checkpoint " + ck +
                         " --out " + d / "a" + " >/dev/null 2>&1 & p=$!; sleep 1; " + BUILDOUT_BINARY + " " + kRun + "--checkpoint " + ck + " --out " +
                         d / "b" + "; echo exit=$?; kill $p; wait $p)");
  EXPECT_NE(r.output.find("--checkpoint " + d / ".ck.lock" + ": in use by another run (host "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("exit=2"), std::string::npos) << r.output;
}

TEST(SafeFlags, NumbersThatWouldWrapOrOverflowAreRefused) {
  const auto refused = [](const std::string& args, const std::string& why) {
    const Result r = sh("run " + args + " --out /tmp/buildout-never");
    EXPECT_EQ(r.code, 2) << args << ": " << r.output;
    EXPECT_NE(r.output.find(why), std::string::npos) << args << ": " << r.output;
  };
  refused("--threads 65536", "--threads: expected a positive integer of at most");
  refused("--threads 40000", "--threads: expected a positive integer of at most");
  refused("--paths 18446744073709551616", "--paths: expected a positive integer of at most 2^40 = 1099511627776");
  refused("--paths 1099511627777", "--paths: expected a positive integer of at most 2^40");
  refused("--paths -5", "--paths: expected a positive integer");
  for (const char* seed : {"-1", "18446744073709551616", "99999999999999999999999", "-18446744073709551615", "9223372036854775808", "1e3"})
    refused(std::string("--seed=") + seed, std::string("--seed: expected an integer from 0 to 2^63 - 1 = 9223372036854775807, got \"") + seed + "\"");
  refused("--max-memory=-1", "--max-memory: expected a byte count such as 8000000000 or 8G, got \"-1\"");
  refused("--max-memory=-5G", "got \"-5G\"");
  refused("--max-memory ''", "got \"\"");
  refused("--max-memory=16777216T", "\"16777216T\" is more bytes than 2^64");
  refused("--max-memory=0", "expected a limit above 0 bytes");
  refused("--max-memory=8Q", "unknown suffix \"Q\"");
  refused("--target-stat bogus", "--target-stat requires --target-se");
  refused("--batch 4294967297", "--batch: expected a positive integer of at most 2^32");
  EXPECT_EQ(buildout::parse_bytes("8G"), std::uint64_t{8} << 30);
  EXPECT_EQ(buildout::parse_bytes("16777215T"), std::uint64_t{16777215} << 40);
}

TEST(SafeInputs, FilesThatAreNotRegularOrTooLargeAreRefusedAtOnce) {
  const Dir d("inputs");
  const auto refused = [](const std::string& args, const std::string& why) {
    const Result r = shell("timeout 20 " + std::string(BUILDOUT_BINARY) + " " + args);
    EXPECT_EQ(r.code, 2) << args << ": " << r.output;
    EXPECT_NE(r.output.find(why), std::string::npos) << args << ": " << r.output;
  };
  refused("validate /dev/zero", "/dev/zero: cannot read config file: it is a character device, not a regular file");
  ASSERT_EQ(::mkfifo((d / "f").c_str(), 0600), 0);
  refused("validate " + d / "f", d / "f" + ": cannot read config file: it is a FIFO, not a regular file");
  fs::create_directories(d / "dir");
  refused("validate " + d / "dir", "cannot read config file: it is a directory");
  ASSERT_EQ(::truncate((write(d / "big.toml", ""), (d / "big.toml").c_str()), (64 << 20) + 1), 0);  // sparse: no disk used
  refused("validate " + d / "big.toml", "it is 67108865 bytes, more than the 67108864 this input may have");
  write(d / "ext.toml", "extends = \"/dev/zero\"\n");
  refused("validate " + d / "ext.toml", "/dev/zero: cannot read config file: it is a character device");
  refused("backtest " + source_path("configs/asof-2025-01.toml") + " " + d / "f" + " --paths 100", "cannot read outcomes file: it is a FIFO");
  refused("run --paths 100 --resume " + d / "f" + " --out " + d / "o", "--resume " + d / "f" + ": " + d / "f" + ": cannot read the checkpoint: it is a FIFO");
  ASSERT_EQ(::truncate((write(d / "huge", ""), (d / "huge").c_str()), off_t{1} << 30), 0);
  refused("run --paths 100 --resume " + d / "huge" + " --out " + d / "o", "it is 1073741824 bytes, more than the");
  EXPECT_FALSE(fs::exists(d / "o"));
}

TEST(SafeInputs, DeepNestingLongExtendsChainsAndLinkLoopsAreConfigErrors) {
  const Dir d("deep");
  std::string header = "[a";
  for (int k = 0; k < 35000; ++k) header += ".a";
  write(d / "deep.toml", header + "]\n");
  Result r = sh("validate " + d / "deep.toml");
  EXPECT_EQ(r.code, 2) << r.output.substr(0, 400);
  EXPECT_NE(r.output.find(d / "deep.toml" + ":1:129: a dotted key or table header of more than 64 parts"), std::string::npos) << r.output.substr(0, 400);
  // A quoted part is a part too; dots inside strings and comments are not.
  std::string quoted = "[\"a\"";
  for (int k = 0; k < 100; ++k) quoted += ".\"a\"";
  write(d / "quoted.toml", quoted + "]\n");
  r = sh("validate " + d / "quoted.toml");
  EXPECT_NE(r.output.find("more than 64 parts"), std::string::npos) << r.output.substr(0, 400);
  for (int k = 0; k < 40; ++k) write(d / ("e" + std::to_string(k) + ".toml"), "extends = \"e" + std::to_string(k + 1) + ".toml\"\n");
  r = sh("validate " + d / "e0.toml");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("extends: a chain of more than 16 configs"), std::string::npos) << r.output;
  fs::create_symlink(d / "loop1", d / "loop2");
  fs::create_symlink(d / "loop2", d / "loop1");
  write(d / "l.toml", "extends = \"loop1\"\n");
  r = sh("validate " + d / "l.toml");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("loop1: cannot read config file: Too many levels of symbolic links"), std::string::npos) << r.output;
  // Dotted keys of a few parts, and dots in strings and comments, are fine.
  EXPECT_NO_THROW(load_config_text(replaced(config_with_network("[templates.t.activities.build]\nduration = 12\n"), "[run]",
                                            "# a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c\n[run]"),
                                   "<test>"));
}

TEST(SafeInputs, BacktestOutcomesNamingWhatTheModelLacksFailBeforeTheSimulation) {
  const Dir d("outcomes");
  write(d / "o.toml", "[[outcomes]]\nname = \"x\"\nsource = \"test\"\nsite = \"fairwater\"\ndate = \"2026-01\"\n\n"
                      "[[outcomes]]\nname = \"nowhere\"\nsource = \"test\"\nsite = \"no_such_site\"\ndate = \"2026-01\"\n");
  const Result r = sh("backtest " + source_path("configs/asof-2025-01.toml") + " " + d / "o.toml" + " --paths 100 --progress log --out " + d / "out");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find(d / "o.toml" + ":7:1: outcomes: \"nowhere\": no site row \"no_such_site\""), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("simulated"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(d / "out"));
}

TEST(SafeInputs, AnErrorInAMergedDistributionNamesTheLineThatMadeIt) {
  const Dir d("merged");
  write(d / "base.toml", config_with_network("[templates.t.activities.build]\nduration = { dist = \"pert\", min = 6, mode = 10, max = 18 }\n"));
  write(d / "over.toml", "extends = \"base.toml\"\n\n[templates.t.activities.build]\nduration = { min = 12 }\n");
  try {
    load_config_file(d / "over.toml");
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(d / "over.toml" + ":4:12: templates.t.activities.build.duration: pert needs min <= mode <= max"),
              std::string::npos) << e.what();
  }
}

// The memory estimate bounds the run: its peak resident memory (summary.json's peak_rss_bytes,
// the largest of any rank) is no more than 10% above what it printed, in every mode.
TEST(MemoryEstimate, PeakResidentMemoryStaysWithinTheEstimate) {
  const Dir d("rss");
  const auto check = [&](const std::string& args, const std::string& launcher = "") {
    const Result r = shell(launcher + BUILDOUT_BINARY + " " + args + " --progress none --out " + d / "o");
    ASSERT_EQ(r.code, 0) << args << ": " << r.output;
    const std::string summary = read_file(d / "o/summary.json");
    std::smatch est, peak;
    ASSERT_TRUE(std::regex_search(summary, est, std::regex("\"memory_estimate_bytes\": ([0-9]+)")));
    ASSERT_TRUE(std::regex_search(summary, peak, std::regex("\"peak_rss_bytes\": ([0-9]+)")));
    const double e = std::stod(est[1]), p = std::stod(peak[1]);
    EXPECT_GT(p, 0.0) << args;
    EXPECT_LE(p, 1.10 * e) << args << ": peak " << p / 1048576 << " MiB, estimate " << e / 1048576 << " MiB";
    std::printf("[ memory   ] %-70s estimate %7.1f MiB, peak %7.1f MiB (%.2f)\n", (launcher + args).c_str(), e / 1048576, p / 1048576, p / e);
  };
  check("run --paths 2000 --threads 2 --percentiles exact");
  check("run --paths 100000 --threads 2 --percentiles exact");
  check("run --paths 2000 --threads 2 --percentiles streaming");
  check("run --paths 100000 --threads 2 --percentiles streaming");
  check("run --paths 4000 --batch 1000 --threads 2 --checkpoint " + d / "ck" + " --checkpoint-every 0");
  if (Ranks::built_with_mpi() && shell("command -v mpirun").code == 0)
    check("run --paths 140000 --batch 10000 --threads 1", "mpirun --allow-run-as-root --oversubscribe -np 2 ");
}

// Forged checkpoints: a byte changed and the checksum made again, at offsets over the whole
// file, for states in each pass. Each must be refused (exit 2's UserError) or resume to the end;
// none may crash, abort or throw anything else.
TEST(CheckpointFuzz, ForgedBytesWithTheChecksumMadeAgainAreRefusedOrHarmless) {
  const Dir d("fuzz");
  constexpr std::uint64_t kPaths = 3000;
  const auto run = run_text(config_with_network("[templates.t.activities.build]\nduration = { dist = \"pert\", min = 6, mode = 10, max = 18 }\n"
                                                "[templates.t.risks.late]\nprobability = 0.3\ndelay_months = 4\nhits = [\"build\"]\n"),
                            kPaths, 7, 2, 1000);
  const std::string expected = render_percentiles_csv(aggregate(run.model, run.paths, 2));
  const CheckpointIdentity id{"test", "hash", 7, kPaths, "philox"};
  const std::string ck = d / "ck";
  int refused_on_load = 0, refused_later = 0, resumed = 0;
  for (const auto& [pass, next] : std::vector<std::pair<int, std::uint64_t>>{{0, 1000}, {1, 2000}, {2, 500}}) {
    // The aggregator as a streaming run holds it at (pass, next).
    Aggregator agg(run.model, kPaths, 2);
    for (int p = 0; p <= pass; ++p) {
      const std::uint64_t end = p < pass ? kPaths : next;
      for (std::uint64_t first = 0; first < end; first += 500) agg.add(p, first, std::min<std::uint64_t>(500, end - first), columns_from(run.paths, first));
      if (p < pass) agg.finish_pass(p);
    }
    {
      CheckpointWriter w(ck, id, 1);
      w.add(checkpoint_entry(CheckpointPosition{pass, next, 1.0, 1.0}, agg));
      w.commit();
    }
    const std::string bytes = read_file(ck);
    const auto resume = [&]() {
      auto backend = make_cpu_backend(run.model, 2);
      StreamingControl control;
      control.resume = ck;
      control.identity = id;
      StreamingTimes times;
      return render_percentiles_csv(aggregate_streaming(run.model, *backend, kPaths, 1000, 2, nullptr, control, times, Ranks::world()));
    };
    ASSERT_EQ(resume(), expected) << "pass " << pass;  // the unforged checkpoint resumes to the uninterrupted bytes
    const std::size_t body = bytes.size() - sizeof(std::uint64_t);
    for (std::size_t k = 0, step = body / 250 + 1; k < body; k += (k < 300 ? 1 : step)) {
      std::string forged = bytes;
      forged[k] = static_cast<char>(forged[k] ^ (1 + k % 255));
      const std::uint64_t sum = fnv1a64(forged.substr(0, body));
      forged.replace(body, sizeof sum, reinterpret_cast<const char*>(&sum), sizeof sum);
      write(ck, forged);
      try {
        resume();
        ++resumed;  // a changed value that no count can check (a timing, a mean): the reports show it
      } catch (const UserError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("--resume " + ck + ": "), std::string::npos) << what;
        ++(what.find("simulated after it") != std::string::npos ? refused_later : refused_on_load);
      } catch (const std::exception& e) {
        ADD_FAILURE() << "pass " << pass << ", byte " << k << ": " << e.what();
      }
    }
  }
  std::printf("[ fuzz     ] forged checkpoints: %d refused on load, %d refused once their counts failed to add up, %d resumed\n",
              refused_on_load, refused_later, resumed);
  EXPECT_GT(refused_on_load, 0);
}

}  // namespace
