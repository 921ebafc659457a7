// Every shipped config through the binary, and each stress scenario against the
// base with the same seed (common random numbers: path i is paired across runs).
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "host/metrics/aggregate.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace buildout;
using namespace buildout::testing;

namespace {

constexpr std::uint64_t kPaths = 4000;

// Mean of (b - a) over paired paths and its standard error.
std::pair<double, double> paired_difference(const float* a, const float* b, std::uint64_t n) {
  double sum = 0, ss = 0;
  for (std::uint64_t i = 0; i < n; ++i) sum += b[i] - a[i];
  const double mean = sum / n;
  for (std::uint64_t i = 0; i < n; ++i) ss += (b[i] - a[i] - mean) * (b[i] - a[i] - mean);
  return {mean, std::sqrt(ss / (n - 1) / n)};
}

int site_index(const CompiledModel& m, const std::string& id) {
  for (int s = 0; s < m.n_sites(); ++s)
    if (m.site_ids[s] == id) return s;
  return -1;
}

}  // namespace

class ShippedConfig : public ::testing::TestWithParam<const char*> {};

TEST_P(ShippedConfig, RunsEndToEndAndWritesSaneReports) {
  const fs::path out = fs::temp_directory_path() / ("buildout-e2e-" + std::string(GetParam()) + std::to_string(::getpid()));
  fs::remove_all(out);
  const std::string cmd = std::string(BUILDOUT_BINARY) + " run " + source_path("configs/" + std::string(GetParam()) + ".toml") +
                          " --paths " + std::to_string(kPaths) + " --progress none --out " + out.string() + " > /dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << cmd;

  const std::string pct = read_file(out / "percentiles.csv");
  EXPECT_EQ(pct.rfind("player,metric,statistic,value\n", 0), 0u);
  std::istringstream rows(pct);
  std::string line, player, metric, stat, value;
  std::getline(rows, line);
  std::map<std::string, std::vector<double>> percentiles;  // player/metric -> p1..p99 in order
  int n_rows = 0;
  while (std::getline(rows, line)) {
    std::istringstream cells(line);
    std::getline(cells, player, ',');
    std::getline(cells, metric, ',');
    std::getline(cells, stat, ',');
    std::getline(cells, value, ',');
    const double v = std::stod(value);
    ASSERT_TRUE(std::isfinite(v)) << line;
    if (metric.rfind("p_", 0) == 0) EXPECT_TRUE(v >= 0 && v <= 1) << line;
    if (stat.size() > 1 && stat[0] == 'p' && std::isdigit(static_cast<unsigned char>(stat[1]))) percentiles[player + "/" + metric].push_back(v);
    ++n_rows;
  }
  // 6 entities (5 players, 1 owner) x (metrics x (mean, sd, se, percentiles) + cvar5 + probabilities x 3); the shipped
  // configs' [report] adds six calendar metrics to the fixed ones (capex and revenue in 2025 and
  // 2026, the last release of 2025, online capacity at 2026-12) and the cumulative cash at the
  // end of every third month of the 96-month horizon (32).
  const int statistics = 3 + static_cast<int>(kPercentileLevels.size());
  EXPECT_EQ(n_rows, 6 * ((kFixedPlayerMetrics + 6 + 32) * statistics + 1 + kPlayerProbabilities * 3));
  for (const auto& [key, ps] : percentiles)
    for (size_t k = 1; k < ps.size(); ++k) EXPECT_LE(ps[k - 1], ps[k]) << key;

  EXPECT_EQ(read_file(out / "sites.csv").rfind("site,player,activity,metric,statistic,value,date\n", 0), 0u);
  EXPECT_NE(read_file(out / "headline.md").find("| Microsoft/OpenAI |"), std::string::npos);
  const std::string json = read_file(out / "summary.json");
  for (const char* key : {"\"config_hash\"", "\"paths_per_s\"", "\"p_npv_positive\"", "\"criticality_index\"", "\"cvar5\""})
    EXPECT_NE(json.find(key), std::string::npos) << key;
  EXPECT_EQ(json.find("null"), std::string::npos);  // every field a value (nlohmann writes NaN and missing tables as null)
  fs::remove_all(out);
}

INSTANTIATE_TEST_SUITE_P(Configs, ShippedConfig,
                         ::testing::Values("base", "asof-2025-01", "stress-transformer-shortage", "stress-demand-bust", "stress-scaling-plateau",
                                           "stress-monetisation-low"),
                         [](const auto& info) {
                           std::string s = info.param;
                           for (char& c : s) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return s;
                         });

TEST(Stress, TransformerShortageDelaysHyperscaleSites) {
  const auto base = run_file(source_path("configs/base.toml"), kPaths, 11, 2, kPaths);
  const auto stress = run_file(source_path("configs/stress-transformer-shortage.toml"), kPaths, 11, 2, kPaths);
  for (const char* site : {"fairwater_2", "rainier/tranche_2", "prometheus"}) {
    const int s = site_index(base.model, site);
    ASSERT_GE(s, 0) << site;
    const auto [diff, se] = paired_difference(base.paths.ready(s), stress.paths.ready(s), kPaths);
    EXPECT_GT(diff, 4 * se) << site << ": ready month moved by " << diff;
  }
}

// The stress config lowers every player's NPV by more than 4 standard errors of the paired
// difference. Owners are not stressed: Oracle's Abilene capacity is sold for the whole horizon.
static void expect_every_npv_lower(const std::string& stress_config, std::uint64_t seed) {
  const auto base = run_file(source_path("configs/base.toml"), kPaths, seed, 2, kPaths);
  const auto stress = run_file(source_path(stress_config), kPaths, seed, 2, kPaths);
  for (int p = 0; p < base.model.n_players(); ++p) {
    if (base.model.players[p].is_owner) continue;
    const auto [diff, se] = paired_difference(base.paths.metric(kNpvUsdB, p), stress.paths.metric(kNpvUsdB, p), kPaths);
    EXPECT_LT(diff, -4 * se) << base.model.player_ids[p];
  }
}

TEST(Stress, DemandBustLowersEveryPlayersNpv) { expect_every_npv_lower("configs/stress-demand-bust.toml", 12); }

TEST(Stress, MonetisationAtItsLowEndLowersEveryPlayersNpv) { expect_every_npv_lower("configs/stress-monetisation-low.toml", 14); }

TEST(Stress, ScalingPlateauMakesFrontierSuccessRare) {
  const auto base = run_file(source_path("configs/base.toml"), kPaths, 13, 2, kPaths);
  const auto run = run_file(source_path("configs/stress-scaling-plateau.toml"), kPaths, 13, 2, kPaths);
  const Results b = aggregate(base.model, base.paths, 2), r = aggregate(run.model, run.paths, 2);
  // A reported release that unlocked revenue keeps its outcome (base.toml: Amazon, Google and
  // Microsoft in 2025). For the others (Meta, and xAI after its two reported ones that did not) each
  // flagship from the frontier release on now succeeds with P 10% instead of 45%: success in the
  // horizon becomes much rarer than in the base.
  for (int p = 0; p < run.model.n_players(); ++p) {
    const PlayerSpec& pl = run.model.players[p];
    if (pl.is_owner) continue;  // releases nothing
    const Proportion &stress = r.players[p].probabilities[kProbFrontierSuccess], &before = b.players[p].probabilities[kProbFrontierSuccess];
    if (pl.release_actual && pl.release_unlocked) {
      EXPECT_EQ(stress.p, 1.0) << r.players[p].id;
    } else {
      const double se = std::sqrt(stress.p * (1 - stress.p) / kPaths + before.p * (1 - before.p) / kPaths);
      EXPECT_LT(stress.p, before.p - 4 * se) << r.players[p].id;
    }
  }
}
