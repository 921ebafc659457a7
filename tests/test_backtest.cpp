// The backtest: a recorded outcome's percentile in the model's distribution,
// against the closed form of a lone triangular activity; and the command's
// handling of bad outcome files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "host/metrics/backtest.hpp"
#include "test_support.hpp"

using namespace buildout;
using namespace buildout::testing;
namespace fs = std::filesystem;

namespace {

double triangular_cdf(double x, double a, double m, double b) {
  if (x <= a) return 0;
  if (x >= b) return 1;
  return x <= m ? (x - a) * (x - a) / ((b - a) * (m - a)) : 1 - (b - x) * (b - x) / ((b - a) * (b - m));
}

fs::path write(const std::string& name, const std::string& text) {
  const fs::path p = fs::temp_directory_path() / ("buildout_backtest_" + name);
  std::ofstream(p) << text;
  return p;
}

}  // namespace

TEST(Backtest, PercentileOfARecordedMonthIsTheMidRankOfTheClosedForm) {
  // R = T ~ Tri(6, 10, 18) months from 2025-01. Recorded in 2025-11 (month 10):
  // the mid-rank over [10, 11) is (F(10) + F(11)) / 2. A recorded capex is a point.
  constexpr std::uint64_t n = 100000;
  const auto run = run_text(config_with_network("[templates.t.activities.build]\nduration = { dist = \"triangular\", min = 6, mode = 10, max = 18 }\n"), n);
  Outcome month{"ready", "test", "s", "", "ready_month", true, YearMonth{2025, 11}, 0, false};
  Outcome capex{"capex", "test", "", "p", "capex_usd_b", false, {}, 1.3, false};  // 100 MW x $10M + 10,000 x $30k, always
  const auto rows = backtest(run.model, run.paths, {month, capex});
  const double expected = 0.5 * (triangular_cdf(10, 6, 10, 18) + triangular_cdf(11, 6, 10, 18));
  EXPECT_NEAR(rows[0].percentile, expected, four_se(expected, n));
  EXPECT_EQ(rows[0].recorded, "2025-11");
  EXPECT_EQ(rows[0].inside_p10_p90, true);
  EXPECT_DOUBLE_EQ(rows[1].percentile, 0.5);  // every path equals it: below 0, at 1
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
