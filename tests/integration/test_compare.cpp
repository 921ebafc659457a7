// Scenario comparison on common random numbers, `buildout compare` and `buildout sensitivity`
// as a user meets them. The paired deltas against closed forms are in unit/test_paired_deltas.cpp.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace buildout;
using namespace buildout::testing;

namespace {

// Rows of a CSV whose first field is not the header's.
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::istringstream l(line);
    std::string f;
    while (std::getline(l, f, ',')) fields.push_back(f);
    rows.push_back(fields);
  }
  return rows;
}

}  // namespace

// The keying of random numbers by config path, end to end: a config that changes one
// player's WACC leaves every other entity's every statistic unchanged on every path (zero
// paired error), and moves that player's NPV down with an interval that excludes zero.
TEST(Compare, ChangingOnePlayersInputLeavesTheOthersPathsAsTheyWere) {
  const fs::path dir = fresh_dir("crn");
  fs::create_directories(dir);
  const fs::path other = dir / "xai-wacc.toml";
  std::ofstream(other) << "extends = \"" << source_path("configs/base.toml") << "\"\n\n[players.xai]\nwacc = { dist = \"triangular\", min = 0.14, mode = 0.16, max = 0.20 }\n";
  const Result r = sh("compare " + source_path("configs/base.toml") + " " + other.string() + " --paths 3000 --progress none --out " + (dir / "out").string());
  ASSERT_EQ(r.code, 0) << r.output;
  int checked = 0;
  for (const auto& row : csv_rows(read_file((dir / "out" / "deltas.csv").string()))) {
    ASSERT_EQ(row.size(), 14u);
    if (row[1] == "site" || row[2] == "xai") {
      if (row[2] == "xai" && row[3] == "npv_usd_b" && row[4] == "mean") {
        EXPECT_LT(std::stod(row[10]), 0.0) << "the upper end of xAI's NPV delta";
        ++checked;
      }
      continue;
    }
    // Every other player's rows: identical paths. p_highest_npv and p_first_successful_release
    // compare players with each other; xAI's NPV moves only which of them is highest.
    if (row[3] == "p_highest_npv") continue;
    EXPECT_EQ(row[8], "0") << row[2] << " " << row[3] << " " << row[4];
    EXPECT_EQ(row[11], "0") << row[2] << " " << row[3] << " " << row[4];
    ++checked;
  }
  EXPECT_GT(checked, 100);
  EXPECT_NE(r.output.find("Variance reduction"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Compare, SameBytesForAnyThreadsAndBatch) {
  const fs::path dir = fresh_dir("determinism");
  const std::string args = "compare " + source_path("configs/base.toml") + " " + source_path("configs/stress-transformer-shortage.toml") +
                           " --paths 2500 --progress none --out ";
  ASSERT_EQ(sh(args + (dir / "a").string() + " --threads 1 --batch 700").code, 0);
  ASSERT_EQ(sh(args + (dir / "b").string() + " --threads 2").code, 0);
  const std::string a = read_file((dir / "a" / "deltas.csv").string());
  EXPECT_GT(a.size(), 1000u);
  EXPECT_EQ(a, read_file((dir / "b" / "deltas.csv").string()));
  EXPECT_EQ(read_file((dir / "a" / "compare.md").string()), read_file((dir / "b" / "compare.md").string()));
  fs::remove_all(dir);
}

TEST(Compare, ConfigsWithOtherPlayersExitTwoNamingBoth) {
  const fs::path dir = fresh_dir("players");
  fs::create_directories(dir);
  const fs::path one = dir / "one-player.toml";
  std::ofstream(one) << config_with_network("[templates.t.activities.build]\nduration = 12\n");
  const Result r = sh("compare " + source_path("configs/base.toml") + " " + one.string() + " --paths 100 --out " + (dir / "out").string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find(one.string() + " has other players than " + source_path("configs/base.toml")), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("only in " + one.string() + ": p"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "out"));
  const Result single = sh("compare " + source_path("configs/base.toml"));
  EXPECT_EQ(single.code, 2) << single.output;
  fs::remove_all(dir);
}

TEST(SensitivityCli, UnknownGroupExitsTwoAndWritesNothing) {
  const fs::path dir = fresh_dir("groups");
  const Result r = sh("sensitivity --groups market.price_level,weather --paths 100 --out " + (dir / "out").string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("unknown input group \"weather\""), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "out"));
  EXPECT_EQ(sh("sensitivity --method morris").code, 2);
  fs::remove_all(dir);
}

TEST(SensitivityCli, WritesTheReportsWithTheSameBytesForAnyThreads) {
  const fs::path dir = fresh_dir("sensitivity");
  const std::string args = "sensitivity --groups market.price_level,market.demand_growth,factors --paths 1024 --progress none --out ";
  const Result r = sh(args + (dir / "a").string() + " --threads 1 --batch 300");
  ASSERT_EQ(r.code, 0) << r.output;
  ASSERT_EQ(sh(args + (dir / "b").string() + " --threads 2").code, 0);
  for (const char* f : {"tornado.csv", "sobol.csv", "sensitivity.md"}) {
    const std::string a = read_file((dir / "a" / f).string());
    EXPECT_GT(a.size(), 100u) << f;
    EXPECT_EQ(a, read_file((dir / "b" / f).string())) << f;
  }
  // Two held groups (the factors cannot be held) for six entities; three Sobol groups, two outputs.
  EXPECT_EQ(csv_rows(read_file((dir / "a" / "tornado.csv").string())).size(), 2u * 6);
  EXPECT_EQ(csv_rows(read_file((dir / "a" / "sobol.csv").string())).size(), 3u * 2 * 6);
  EXPECT_NE(r.output.find("## Microsoft/OpenAI"), std::string::npos);
  fs::remove_all(dir);
}
