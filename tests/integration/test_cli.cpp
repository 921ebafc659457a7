// The binary as a user meets it: exit codes, messages, and nothing written on error.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace buildout::testing;

TEST(Cli, VersionAndHelp) {
  EXPECT_EQ(sh("--version").code, 0);
  EXPECT_NE(sh("--version").output.find("buildout 0."), std::string::npos);
  const Result help = sh("run --help");
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.output.find("--max-memory"), std::string::npos);
  EXPECT_EQ(sh("validate --help").code, 0);
}

TEST(Cli, BadConfigExitsTwoAndWritesNothing) {
  const fs::path dir = fresh_dir("bad");
  fs::create_directories(dir);
  const fs::path cfg = dir / "bad.toml";
  std::ofstream(cfg) << "[run]\nhorizon_months = \"long\"\n";
  const fs::path out = dir / "out";
  const Result r = sh("run " + cfg.string() + " --out " + out.string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find(cfg.string() + ":2:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("run.horizon_months"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(out));
  fs::remove_all(dir);
}

TEST(Cli, BadActualsExitTwoNamingFileLineAndKey) {
  // The three the data date must refuse: an actual after it, a phase online before its
  // construction start, overlapping quarters. Each an extension of the shipped base.toml.
  const fs::path dir = fresh_dir("actuals");
  fs::create_directories(dir);
  const std::string base = "extends = \"" + source_path("configs/base.toml") + "\"\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[actuals]\nreleases = [{ player = \"meta\", date = \"2026-02\", model = \"M\", unlocked = true }]\n",
       "actuals.releases.date: an actual dated 2026-02 is at or after the data date 2026-01"},
      {"[actuals]\nphases_online = [{ site = \"fairwater\", date = \"2023-05\" }]\n",
       "actuals.phases_online.date: \"fairwater\" online 2023-05, before its construction start 2023-09"},
      {"[actuals]\ncapex = [{ player = \"xai\", from = \"2025-01\", to = \"2025-12\", usd_b = 12.7 },\n"
       "         { player = \"xai\", from = \"2025-10\", to = \"2025-12\", usd_b = 3 }]\n",
       "actuals.capex: quarters overlap"}};
  for (size_t k = 0; k < cases.size(); ++k) {
    const fs::path cfg = dir / ("case" + std::to_string(k) + ".toml");
    std::ofstream(cfg) << base << cases[k].first;
    const fs::path out = dir / "out";
    const Result r = sh("run " + cfg.string() + " --paths 100 --out " + out.string());
    EXPECT_EQ(r.code, 2) << r.output;
    EXPECT_NE(r.output.find(cfg.string() + ":"), std::string::npos) << r.output;  // FILE:LINE:COL
    EXPECT_NE(r.output.find(cases[k].second), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(out));
  }
  fs::remove_all(dir);
}

TEST(Cli, BadFlagsExitTwo) {
  EXPECT_EQ(sh("run --paths 0").code, 2);
  const Result threads = sh("run --threads 0");
  EXPECT_EQ(threads.code, 2);
  EXPECT_NE(threads.output.find("--threads: expected a positive integer of at most "), std::string::npos) << threads.output;
  EXPECT_NE(threads.output.find(" cores), got \"0\""), std::string::npos) << threads.output;
  const Result device = sh("run --device gpu --paths 10 --out /tmp/never");
  EXPECT_EQ(device.code, 2);
  EXPECT_NE(device.output.find("--device: expected auto, cpu or cuda, got \"gpu\""), std::string::npos) << device.output;
  EXPECT_EQ(sh("run --progress sometimes --paths 10").code, 2);
  const Result every = sh("run --checkpoint-every -5 --paths 10");
  EXPECT_EQ(every.code, 2);
  EXPECT_NE(every.output.find("--checkpoint-every: expected a number of seconds >= 0, got \"-5\""), std::string::npos) << every.output;
  EXPECT_EQ(sh("run --no-such-flag").code, 2);
  EXPECT_EQ(sh("validate /nonexistent.toml").code, 2);
}

TEST(Cli, CudaWithoutAGpuIsAClearError) {
  if (buildout::cuda_device_count() > 0) GTEST_SKIP() << "a GPU is present";
  const fs::path out = fresh_dir("cuda");
  const Result r = sh("run --device cuda --paths 10 --out " + out.string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--device cuda"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(out));
}

TEST(Cli, MaxMemoryRefusesARunThatWouldNotFit) {
  const fs::path out = fresh_dir("mem");
  const Result r = sh("run --paths 1000000 --max-memory 1M --out " + out.string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--max-memory 1M"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(out));
}

TEST(Cli, ValidatePrintsWhatTheModelHolds) {
  const Result r = sh("validate " + source_path("configs/base.toml"));
  EXPECT_EQ(r.code, 0) << r.output;
  for (const char* part : {"players: 5, owners: 1", "oracle", "contracts: 2", "openai_abilene", "microsoft buys 100% of stargate_abilene from oracle",
                            "26.8% of it under finance leases", "customers' ceiling: backlog $344B", "schedule units (sites and phases): 13", "programme: AI share", "online 2025-10 (reported)",
                            "released GPT-5 (2025-08)", "activities:", "risk events:", "random numbers per path",
                            "report columns: capex_2025_usd_b capex_2026_usd_b revenue_2025_usd_b revenue_2026_usd_b last_release_2025_month online_h100eq_2026_12"})
    EXPECT_NE(r.output.find(part), std::string::npos) << part << " in\n" << r.output;
}

TEST(Cli, DefaultRunWritesTheFourReports) {
  const fs::path out = fresh_dir("run");
  const Result r = sh("run --paths 2000 --progress log --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("| Player |"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("paths/s"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("; compact path kernel)"), std::string::npos) << r.output;
  for (const char* f : {"summary.json", "percentiles.csv", "sites.csv", "headline.md"}) EXPECT_TRUE(fs::exists(out / f)) << f;
  for (const auto& e : fs::directory_iterator(out)) EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos);
  fs::remove_all(out);
}

// A model past the compact kernel's bounds (here 120 months against its 96) runs the full one,
// and the run log says so.
TEST(Cli, RunLogNamesTheFullPathKernelPastTheCompactBounds) {
  const fs::path out = fresh_dir("full_kernel");
  const std::string config = out.string() + ".toml";
  std::ofstream(config) << replaced(read_file(source_path("configs/base.toml")), "horizon_months = 96 ", "horizon_months = 120 ");
  const Result r = sh("run " + config + " --paths 500 --progress none --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("; full path kernel: the model is past the compact one's bounds)"), std::string::npos) << r.output;
  fs::remove_all(out);
  fs::remove(config);
}

TEST(Cli, StreamingPercentilesAreTheExactOnesToTheByte) {
  // Three blocks of paths, batches that split them, threads that split the columns: streaming
  // (every path simulated three times, none kept) gives the reports in-memory aggregation gives.
  const fs::path exact = fresh_dir("exact"), streaming = fresh_dir("streaming");
  const Result a = sh("run --paths 150000 --batch 40000 --threads 2 --progress none --percentiles exact --out " + exact.string());
  const Result b = sh("run --paths 150000 --batch 9999 --threads 1 --progress none --percentiles streaming --out " + streaming.string());
  ASSERT_EQ(a.code, 0) << a.output;
  ASSERT_EQ(b.code, 0) << b.output;
  EXPECT_NE(b.output.find("simulated 150000 paths 3 times"), std::string::npos) << b.output;
  for (const char* f : {"percentiles.csv", "sites.csv", "headline.md"}) EXPECT_EQ(read_file(exact / f), read_file(streaming / f)) << f;
  EXPECT_NE(read_file(streaming / "summary.json").find("\"aggregation\": \"streaming\""), std::string::npos);
  fs::remove_all(exact);
  fs::remove_all(streaming);
}

TEST(Cli, AutoStreamsWhenKeepingEveryPathWouldPassTheMemoryLimit) {
  const fs::path out = fresh_dir("auto");
  // 200k paths keep ~345 MiB and streaming needs ~110 MiB: a 160 MiB limit leaves room only for streaming.
  const Result r = sh("run --paths 200000 --progress none --max-memory 160M --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("streaming: every path simulated 3 times"), std::string::npos) << r.output;
  const Result exact = sh("run --paths 200000 --progress none --max-memory 160M --percentiles exact --out " + out.string());
  EXPECT_EQ(exact.code, 2) << exact.output;
  EXPECT_NE(exact.output.find("or --percentiles streaming"), std::string::npos) << exact.output;
  const Result bad = sh("run --paths 1000 --percentiles approximate --out " + out.string());
  EXPECT_EQ(bad.code, 2) << bad.output;
  EXPECT_NE(bad.output.find("--percentiles"), std::string::npos) << bad.output;
  fs::remove_all(out);
}

// --target-se stops at the first multiple of 8192 paths where the widest standard error of
// P(NPV > 0) is at or below the target: the same path count and bytes for any batch, that
// standard error recomputed from the reported hits, and the check before it still above it.
TEST(Cli, TargetSeStopsAtTheFirstCheckThatMeetsItForAnyBatch) {
  const fs::path dir = fresh_dir("target-se");
  const std::string args = "run --paths 100000 --target-se 0.004 --progress none --out ";
  const Result a = sh(args + (dir / "a").string() + " --batch 1000 --threads 1");
  ASSERT_EQ(a.code, 0) << a.output;
  ASSERT_EQ(sh(args + (dir / "b").string()).code, 0);
  for (const char* f : {"percentiles.csv", "sites.csv", "headline.md"})
    EXPECT_EQ(read_file((dir / "a" / f).string()), read_file((dir / "b" / f).string())) << f;
  const std::string headline = read_file((dir / "a" / "headline.md").string());
  const auto at = headline.find("Stopped by --target-se at ");
  ASSERT_NE(at, std::string::npos) << headline;
  const std::uint64_t n = std::stoull(headline.substr(at + 26));
  EXPECT_EQ(n % 8192, 0u);
  EXPECT_LT(n, 100000u);
  // The widest Agresti-Coull standard error over the rows at n paths, and at n - 8192 on the
  // same seed (path i's numbers do not depend on the run's length).
  const auto widest = [&](const fs::path& out, std::uint64_t paths) {
    EXPECT_EQ(sh("run --paths " + std::to_string(paths) + " --progress none --out " + out.string()).code, 0);
    const std::string csv = read_file((out / "percentiles.csv").string());
    double w = 0;
    std::istringstream in(csv);
    std::string line;
    while (std::getline(in, line)) {
      // player,metric,statistic,value,...: the p_npv_positive estimate rows
      if (line.find(",p_npv_positive,estimate,") == std::string::npos) continue;
      const double p = std::stod(line.substr(line.find(",estimate,") + 10));
      const double q = (p * paths + 2) / (paths + 4.0);
      w = std::max(w, std::sqrt(q * (1 - q) / (paths + 4.0)));
    }
    return w;
  };
  EXPECT_LE(widest(dir / "n", n), 0.004);
  if (n > 8192) EXPECT_GT(widest(dir / "before", n - 8192), 0.004);
  fs::remove_all(dir);
}

TEST(Cli, TargetSeRefusesABadTargetStatisticOrStreaming) {
  const fs::path dir = fresh_dir("target-se-bad");
  for (const std::string& args : {"--target-se 0", "--target-se -0.1", "--target-se 0.01 --target-stat nope",
                                  "--target-se 0.01 --percentiles streaming"}) {
    const Result r = sh("run --paths 1000 " + args + " --out " + (dir / "out").string());
    EXPECT_EQ(r.code, 2) << args << ": " << r.output;
    EXPECT_NE(r.output.find("--target-s"), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(dir / "out"));
  }
  fs::remove_all(dir);
}
