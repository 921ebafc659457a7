// The draw blocks' lists (kernels/draw_blocks.hpp) against what the model compiles: each draw the
// kernel reads by its enumerator is, at that position of its block, the draw of the list's key,
// read from the list's source, in the list's sensitivity group; and the documents and the NumPy
// peer spell each key as the list does.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "host/analysis/input_groups.hpp"
#include "host/model/draw_fields.hpp"
#include "test_support.hpp"

using namespace buildout;
using namespace buildout::testing;

namespace {

std::string leaf(const std::string& key) { return key.substr(key.rfind('.') + 1); }

std::vector<std::string> shipped_configs() {
  std::vector<std::string> configs;
  for (const auto& e : std::filesystem::directory_iterator(source_path("configs")))
    if (e.path().extension() == ".toml") configs.push_back(e.path().string());
  std::sort(configs.begin(), configs.end());
  return configs;
}

// Holds one model's blocks to their lists; `where` (key -> draw indices) collects where each
// list key was found, for the check that no draw outside a block takes a list's key.
struct BlockCheck {
  const CompiledModel& m;
  std::string config;
  std::map<std::string, std::set<int>> where;

  template <class Source, std::size_t n>
  void check(const DrawField<Source> (&fields)[n], const Source& source, int begin, const std::string& owner,
             const std::string& schedule_group = "") {
    ASSERT_GE(begin, 0);
    ASSERT_LE(begin + static_cast<int>(n), static_cast<int>(m.draws.size()));
    for (std::size_t k = 0; k < n; ++k) {
      const DrawField<Source>& f = fields[k];
      ASSERT_EQ(f.position, static_cast<int>(k)) << f.key;  // the kernel's enumerator
      const int d = begin + f.position;
      const std::string key = owner + f.key;
      SCOPED_TRACE(config + ": " + key);
      EXPECT_EQ(m.draw_keys[d], key);
      EXPECT_EQ(m.draws[d].stream, draw_stream(key));
      const std::string group = f.group == std::string("schedule") ? schedule_group : f.group;
      EXPECT_EQ(input_group_of(key), group);
      // The source the list names is the Dist the draw was compiled from: read at a key of the
      // same name (or a default), with the same parameters.
      const Dist& dist = f.dist(source);
      if (!dist.key.empty()) EXPECT_EQ(leaf(dist.key), leaf(f.key)) << dist.key;
      CompiledModel alone;
      append_draw(alone, dist, key);
      const DrawSpec &a = alone.draws[0], &b = m.draws[d];
      EXPECT_EQ(a.kind, b.kind);
      EXPECT_EQ(a.factor, b.factor);
      EXPECT_EQ(a.loading, b.loading);
      EXPECT_EQ(a.a, b.a);
      EXPECT_EQ(a.b, b.b);
      EXPECT_EQ(a.c, b.c);
      where[key].insert(d);
    }
  }
};

}  // namespace

TEST(DrawBlocks, EachListedDrawSitsAtItsEnumeratorWithItsKeyGroupAndSource) {
  for (const std::string& config : shipped_configs()) {
    const Config cfg = load_config_file(config);
    const CompiledModel m = compile_model(cfg, 1);
    BlockCheck c{m, config, {}};
    c.check(kGlobalDrawFields, GlobalDrawSource{cfg.market}, 0, kGlobalDrawsKey);
    for (int p = 0; p < m.n_players(); ++p) {
      const Player& player = cfg.players[p];
      const PlayerSpec& ps = m.players[p];
      c.check(kPlayerDrawFields, PlayerDrawSource{player}, ps.draw_begin, player_draws_key(player));
      EXPECT_EQ(ps.ceiling_draw >= 0, player.customers.present) << player.id;
      if (player.customers.present) c.check(kCeilingDrawFields, PlayerDrawSource{player}, ps.ceiling_draw, player_draws_key(player));
      if (player.programme.present) c.check(kProgrammeDrawFields, PlayerDrawSource{player}, ps.programme_draw, player_draws_key(player));
    }
    for (int u = 0; u < m.n_sites(); ++u) {
      const Site& s = cfg.sites[u];
      c.check(kSiteDrawFields, SiteDrawSource{s, cfg.accelerators[s.accelerator]}, m.sites[u].draw_begin, site_draws_key(s),
              "schedule." + s.site_id);
      EXPECT_EQ(m.sites[u].draw_begin + kSiteFixedDraws + m.sites[u].n_drivers + m.sites[u].n_activities + 3 * m.sites[u].n_events,
                u + 1 < m.n_sites() ? m.sites[u + 1].draw_begin : static_cast<int>(m.draws.size()))
          << s.id;
    }
    // No draw outside its block takes a listed key: a hand-appended one would shift nothing the
    // kernel reads, but would share a stream.
    for (int d = 0; d < static_cast<int>(m.draws.size()); ++d) {
      const auto it = c.where.find(m.draw_keys[d]);
      if (it != c.where.end()) EXPECT_TRUE(it->second.count(d)) << config << ": " << m.draw_keys[d] << " at " << d;
    }
    EXPECT_GT(c.where.size(), 0u);
  }
}

TEST(DrawBlocks, TheKernelReadsTheDrawsItNames) {
  // A few of the kernel's reads by name, against keys spelled here: the lists may grow or be
  // reordered, but these enumerators must keep meaning what the kernel takes them for.
  const Config cfg = load_config_file(source_path("configs/base.toml"));
  const CompiledModel m = compile_model(cfg, 1);
  EXPECT_EQ(m.draw_keys[kGpuPriceIndex], "market.gpu_price_index");
  EXPECT_EQ(m.draw_keys[kDemandGrowth], "market.demand_growth_per_year");
  const PlayerSpec& p = m.players[0];
  EXPECT_EQ(m.draw_keys[p.draw_begin + kWacc], "players." + cfg.players[0].id + ".wacc");
  EXPECT_EQ(m.draw_keys[p.draw_begin + kFrontierSuccess], "players." + cfg.players[0].id + ".frontier_success");
  const std::string site = "sites." + cfg.sites[0].site_id + ".";
  EXPECT_EQ(m.draw_keys[m.sites[0].draw_begin + kLaborIndex], site + "construction.labor_index");
  EXPECT_EQ(m.draw_keys[m.sites[0].draw_begin + kAcceleratorPrice], site + "accelerator.price_usd");
  EXPECT_EQ(m.draw_keys[m.sites[0].draw_begin + kRampMonths], site + "supply.ramp_months");
}

TEST(DrawBlocks, ConfigMdAndTheNumpyPeerSpellEveryListedKey) {
  const std::string doc = read_file(source_path("docs/CONFIG.md"));
  const std::string peer = read_file(source_path("scripts/numpy_peer.py"));
  std::vector<std::string> keys;
  const auto add = [&keys](const auto& fields) {
    for (const auto& f : fields) keys.push_back(f.key);
  };
  add(kSiteDrawFields);
  add(kGlobalDrawFields);
  add(kPlayerDrawFields);
  add(kCeilingDrawFields);
  add(kProgrammeDrawFields);
  for (const std::string& key : keys) {
    // The documents name a key in its section's table, the peer reads it from its section's dict.
    EXPECT_NE(doc.find("`" + leaf(key) + "`"), std::string::npos) << key << " in docs/CONFIG.md";
    EXPECT_NE(peer.find("\"" + leaf(key) + "\""), std::string::npos) << key << " in scripts/numpy_peer.py";
  }
}
