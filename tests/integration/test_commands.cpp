// Commands through the binary, beside test_cli.cpp: the fuzz reproducers in validate and run, a
// backtest's bad outcome files, and a run under --sampler sobol whose bytes are the same for any
// threads and batch.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include "test_support.hpp"

using namespace buildout::testing;
namespace fs = std::filesystem;

namespace {

fs::path write(const std::string& name, const std::string& text) {
  const fs::path p = fs::temp_directory_path() / ("buildout_backtest_" + name);
  std::ofstream(p) << text;
  return p;
}

}  // namespace

TEST(CliNonFinite, EveryReproducerExitsTwoNamingTheKeyInValidateAndRun) {
  const std::pair<const char*, const char*> cases[] = {
      {"duration-nan.toml", "templates.hyperscale.activities.shell_core.duration: expected a finite number, got nan"},
      {"duration-inf.toml", "templates.hyperscale.activities.shell_core.duration: expected a finite number, got inf"},
      {"correlation-nan.toml", "factors.correlation[3][4]: expected a finite number, got nan"},
      {"wacc-nan.toml", "players.meta.wacc: expected a finite number, got nan"},
      {"cost-per-mw-nan.toml", "sites.rainier.cost_per_mw_usd_m: expected a finite number, got nan"},
      {"accelerator-count-1e308.toml", "sites.rainier.phases.tranche_1.accelerator_count: expected a number in [0, 1e+08], got 1e+308"},
      {"template-driver-nan.toml", "templates.hyperscale.drivers.labor_productivity: expected a finite number, got nan"},
  };
  for (const auto& [file, message] : cases) {
    const std::string path = source_path("tests/fuzz-corpus/") + file;
    for (const std::string command : {"validate ", "run --paths 64 --progress none --out /nonexistent/never "}) {
      const Result r = sh(command + path);
      EXPECT_EQ(r.code, 2) << command << file << "\n" << r.output;
      EXPECT_NE(r.output.find("error: " + path + ":"), std::string::npos) << r.output;
      EXPECT_NE(r.output.find(message), std::string::npos) << r.output;
    }
  }
}

TEST(Backtest, BadOutcomesAreRefusedBeforeTheRunAndNothingIsWritten) {
  const fs::path out = fs::temp_directory_path() / "buildout_backtest_out";
  fs::remove_all(out);
  const std::string config = source_path("configs/asof-2025-01.toml");
  const auto bad = write("typo.toml", "[[outcomes]]\nname = \"x\"\nsite = \"rainier\"\ndate = \"2025-13\"\nsource = \"s\"\n");
  Result r = sh("backtest " + config + " " + bad.string() + " --paths 100 --out " + out.string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find(bad.string() + ":4:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("expected a date \"YYYY-MM\""), std::string::npos) << r.output;
  const auto unknown = write("unknown.toml", "[[outcomes]]\nname = \"x\"\nsite = \"atlantis\"\ndate = \"2025-05\"\nsource = \"s\"\n");
  r = sh("backtest " + config + " " + unknown.string() + " --paths 100 --progress none --out " + out.string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("no site row \"atlantis\""), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(out));
  const auto both = write("both.toml", "[[outcomes]]\nname = \"x\"\nsite = \"rainier\"\nvalue = 1\ndate = \"2025-05\"\nsource = \"s\"\n");
  r = sh("backtest " + config + " " + both.string() + " --paths 100 --out " + out.string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("give one of `date`"), std::string::npos) << r.output;
}

// The same bytes for any threads and batch, and another scramble for another seed.
TEST(SobolSampler, RunIsTheSameForAnyThreadsAndBatch) {
  const std::string dir = fresh_dir("qmc").string();
  const std::string args = "run --sampler sobol --paths 4096 --progress none --out " + dir;
  ASSERT_EQ(sh(args + "/a --threads 1 --batch 1000").code, 0);
  ASSERT_EQ(sh(args + "/b --threads 2").code, 0);
  ASSERT_EQ(sh(args + "/c --seed 5").code, 0);
  const std::string a = read_file(dir + "/a/percentiles.csv");
  EXPECT_GT(a.size(), 1000u);
  EXPECT_EQ(a, read_file(dir + "/b/percentiles.csv"));
  EXPECT_NE(a, read_file(dir + "/c/percentiles.csv"));
  EXPECT_NE(read_file(dir + "/a/headline.md").find("scrambled Sobol' points"), std::string::npos);
  EXPECT_EQ(sh("run --sampler halton --paths 10 --out " + dir + "/d").code, 2);
  std::filesystem::remove_all(dir);
}
