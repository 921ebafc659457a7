// Draws in named streams: a draw's numbers depend only on (seed, path, its
// config key path), so adding, removing or fixing another draw changes none
// of them, and `extends` keeps a narrowed distribution's factor loading.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "kernels/draws.hpp"
#include "test_support.hpp"

using namespace buildout;
using namespace buildout::testing;

namespace {

// Every draw's value on one path, by key, as the path kernel computes it.
std::map<std::string, double> draws_on_path(const CompiledModel& m, std::uint64_t path) {
  const ModelView v = m.view();
  const PathStreams rng{v.seed, path};
  double eps[kMaxFactors], factors[kMaxFactors];
  for (int k = 0; k < v.n_factors; ++k) eps[k] = rng.philox_normal(v.factor_streams[k]);
  for (int r = 0; r < v.n_factors; ++r) {
    factors[r] = 0.0;
    for (int c = 0; c <= r; ++c) factors[r] += v.factor_cholesky[r * v.n_factors + c] * eps[c];
  }
  std::map<std::string, double> out;
  for (size_t d = 0; d < m.draws.size(); ++d) out[m.draw_keys[d]] = sample(m.draws[d], v.tables, factors, rng);
  return out;
}

// base.toml with one more draw (a region no site uses, among the global draws,
// so every player's draws move in the old positional order) and one draw fixed.
std::string edited_base() {
  std::string text = read_file(source_path("configs/base.toml"));
  text = replaced(text, "[regions.virginia]", "[regions.oregon]\npower_usd_per_mwh = { dist = \"uniform\", min = 40, max = 60 }\n\n[regions.virginia]");
  return replaced(text, "utilisation = { dist = \"triangular\", min = 0.55, mode = 0.75, max = 0.9, factor = \"ai_demand\", loading = 0.6 }",
                  "utilisation = 0.7");
}

}  // namespace

TEST(DrawStreams, OneExtraAndOneFixedDrawLeaveEveryOtherDrawBitIdentical) {
  const CompiledModel base = compile_model(load_config_text(read_file(source_path("configs/base.toml")), "base.toml"), 20250101);
  const CompiledModel edited = compile_model(load_config_text(edited_base(), "edited.toml"), 20250101);
  ASSERT_EQ(edited.draws.size(), base.draws.size() + 1);
  int compared = 0;
  for (std::uint64_t path : {0ull, 1ull, 2ull, 999ull, 123456ull, 1ull << 33}) {
    const auto a = draws_on_path(base, path), b = draws_on_path(edited, path);
    for (const auto& [key, value] : a) {
      if (key == "players.amazon.utilisation") {
        EXPECT_EQ(b.at(key), 0.7);
        continue;
      }
      ASSERT_TRUE(b.count(key)) << key;
      EXPECT_EQ(value, b.at(key)) << key << " on path " << path;  // bit for bit
      ++compared;
    }
    EXPECT_TRUE(b.count("regions.oregon.power_usd_per_mwh"));
  }
  EXPECT_GT(compared, 6 * 450);  // base.toml has ~480 draws
}

TEST(DrawStreams, PlayersTheEditDoesNotTouchGetIdenticalPaths) {
  // End to end: fixing Amazon's utilisation and adding an unused region moves
  // Amazon's revenue alone; every site and every other player is unchanged.
  const std::string base_text = read_file(source_path("configs/base.toml"));
  const EngineRun a = run_text(base_text, 2000, 11, 2, 500);
  const EngineRun b = run_text(edited_base(), 2000, 11, 1, 2000);
  const std::uint64_t n = a.paths.paths;
  for (int s = 0; s < a.model.n_sites(); ++s)
    for (std::uint64_t i = 0; i < n; ++i) ASSERT_EQ(a.paths.ready(s)[i], b.paths.ready(s)[i]) << a.model.site_ids[s];
  int amazon_moved = 0;
  for (int p = 0; p < a.model.n_players(); ++p)
    for (int k = 0; k < a.model.n_player_metrics(); ++k)
      for (std::uint64_t i = 0; i < n; ++i) {
        const bool same = a.paths.metric(k, p)[i] == b.paths.metric(k, p)[i];
        if (a.model.player_ids[p] == "amazon") amazon_moved += !same;
        else ASSERT_TRUE(same) << a.model.player_ids[p] << " " << a.model.player_columns[k].name << " path " << i;
      }
  EXPECT_GT(amazon_moved, 0);
}

TEST(DrawStreams, ExtendsKeepsTheLoadingOfANarrowedDistribution) {
  // stress-demand-bust narrows utilisation to T(0.35, 0.5, 0.7) and says nothing of
  // its factor: the base's loading on ai_demand stays.
  const Config cfg = load_config_file(source_path("configs/stress-demand-bust.toml"));
  for (const Player& p : cfg.players) {
    if (p.is_owner) continue;  // the stress narrows the players' utilisation only
    ASSERT_GE(p.utilisation.factor, 0) << p.id;
    EXPECT_EQ(cfg.factor_names[p.utilisation.factor], "ai_demand") << p.id;
    EXPECT_EQ(p.utilisation.loading, 0.6) << p.id;
    EXPECT_EQ(p.utilisation.a, 0.35) << p.id;
  }
}

TEST(DrawStreams, ADifferentDistReplacesTheTableAndLognormalsSwitchParametrisation) {
  // A site's override of a template's triangular duration by a normal drops min/mode/max.
  const std::string net = "[templates.t.activities.a]\nduration = { dist = \"triangular\", min = 2, mode = 3, max = 6 }\n";
  const std::string over = "[sites.s.network.activities.a.duration]\ndist = \"uniform\"\nmin = 1\nmax = 5\n";
  const Config c1 = load_config_text(config_with_network(net, over), "<test>");
  EXPECT_EQ(c1.sites[0].network.activities[0].duration.type, Dist::Type::Uniform);
  EXPECT_EQ(c1.sites[0].network.activities[0].duration.b, 5.0);
  // Same dist: key by key, so the template's max stays.
  const Config c2 = load_config_text(config_with_network(net, "[sites.s.network.activities.a.duration]\nmode = 4\n"), "<test>");
  EXPECT_EQ(c2.sites[0].network.activities[0].duration.b, 4.0);
  EXPECT_EQ(c2.sites[0].network.activities[0].duration.c, 6.0);
  // A lognormal by median/p90 overridden by mu/sigma takes the new pair alone.
  const std::string ln = "[templates.t.activities.a]\nduration = { dist = \"lognormal\", median = 3, p90 = 5 }\n";
  const Config c3 = load_config_text(
      config_with_network(ln, "[sites.s.network.activities.a.duration]\ndist = \"lognormal\"\nmu = 1.0\nsigma = 0.2\n"), "<test>");
  EXPECT_EQ(c3.sites[0].network.activities[0].duration.a, 1.0);
  EXPECT_EQ(c3.sites[0].network.activities[0].duration.b, 0.2);
}

TEST(DrawStreams, CommonRandomNumbersShrinkTheVarianceOfAScenarioDelta) {
  // NPV(stress) - NPV(base) per path: on the same seed the two runs share every
  // draw the stress leaves alone; on different seeds they share nothing, and
  // the delta's variance is the sum of the two. Each variance is estimated
  // from n paths with a relative SE of sqrt(2 / (n - 1)), so their ratio has a
  // relative SE of about 2 / sqrt(n - 1); common numbers must beat independent
  // ones by more than 4 of those.
  constexpr std::uint64_t n = 4000;
  const double margin = 1.0 - 4.0 * 2.0 / std::sqrt(n - 1.0);
  const auto base = run_file(source_path("configs/base.toml"), n, 21, 2, n);
  for (const char* stress_config : {"configs/stress-demand-bust.toml", "configs/stress-transformer-shortage.toml"}) {
    const auto same = run_file(source_path(stress_config), n, 21, 2, n);
    const auto other = run_file(source_path(stress_config), n, 22, 2, n);
    const auto variance_of_delta = [&](const EngineRun& stress, int p) {
      std::vector<double> d(n);
      double mean = 0, ss = 0;
      for (std::uint64_t i = 0; i < n; ++i) mean += (d[i] = stress.paths.metric(kNpvUsdB, p)[i] - base.paths.metric(kNpvUsdB, p)[i]) / n;
      for (double x : d) ss += (x - mean) * (x - mean);
      return ss / (n - 1);
    };
    for (int p = 0; p < base.model.n_players(); ++p) {
      const double crn = variance_of_delta(same, p), independent = variance_of_delta(other, p);
      std::printf("%s, %s: var(NPV delta) common %.3g, independent %.3g: %.1fx less\n", stress_config,
                  base.model.player_ids[p].c_str(), crn, independent, independent / crn);
      EXPECT_LT(crn, margin * independent) << stress_config << ", " << base.model.player_ids[p];
    }
  }
}
