// The path kernel's two builds (kernels/path_bounds.hpp): the compact one, which the shipped
// configs run, gives the same bits as the full one; and a model beyond any compact bound runs
// the full one.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "host/engine/path_buffers.hpp"
#include "kernels/path_bounds.hpp"
#include "test_support.hpp"

using namespace buildout;
using namespace buildout::testing;

namespace {

PathBuffers run_paths(const CompiledModel& model, PathKernelSize size, std::uint64_t first, std::uint64_t count) {
  PathBuffers buf;
  buf.resize(model, count);
  make_cpu_backend(model, 2, size)->run(first, count, buf);
  return buf;
}

template <class T>
bool same_bytes(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

}  // namespace

// Every shipped config fits the compact build (else it would quietly run the full one, with a
// frame 2.5 times the size on a GPU), and the two builds write the same bytes for every path.
TEST(PathBounds, ShippedConfigsRunTheCompactKernelWithTheFullKernelsBits) {
  for (const char* name : {"base", "asof-2025-01", "stress-demand-bust", "stress-monetisation-low", "stress-scaling-plateau",
                           "stress-transformer-shortage"}) {
    SCOPED_TRACE(name);
    const CompiledModel model = compile_model(load_config_file(source_path(std::string("configs/") + name + ".toml")), 20250101);
    ASSERT_TRUE(runs_compact_kernel(model, PathKernelSize::Fitted))
        << "outgrew CompactPathBounds: grow them in kernels/path_bounds.hpp and measure the frame with scripts/ptx-local-memory.sh";
    EXPECT_FALSE(runs_compact_kernel(model, PathKernelSize::Full));
    const PathBuffers compact = run_paths(model, PathKernelSize::Fitted, 1000, 3000);
    const PathBuffers full = run_paths(model, PathKernelSize::Full, 1000, 3000);
    EXPECT_TRUE(same_bytes(compact.player_metrics, full.player_metrics));
    EXPECT_TRUE(same_bytes(compact.player_flags, full.player_flags));
    EXPECT_TRUE(same_bytes(compact.site_ready_month, full.site_ready_month));
    EXPECT_TRUE(same_bytes(compact.site_critical, full.site_critical));
  }
}

// Each of the compact bounds, one past it, sends the model to the full build.
TEST(PathBounds, OnePastAnyCompactBoundRunsTheFullKernel) {
  const CompiledModel model = compile_model(load_config_file(source_path("configs/base.toml")), 20250101);
  using B = CompactPathBounds;
  const ModelView base = model.view();
  ASSERT_TRUE(fits_path_bounds<B>(base));
  const auto fits_with = [&](auto change) {
    ModelView m = base;
    std::vector<SiteSpec> sites(base.sites, base.sites + base.n_sites);
    std::vector<PlayerSpec> players(base.players, base.players + base.n_players);
    m.sites = sites.data();
    m.players = players.data();
    change(m, sites, players);
    return fits_path_bounds<B>(m);
  };
  EXPECT_FALSE(fits_with([](ModelView& m, auto&, auto&) { m.months = B::months + 1; }));
  EXPECT_FALSE(fits_with([](ModelView& m, auto&, auto&) { m.n_factors = B::factors + 1; }));
  EXPECT_FALSE(fits_with([](ModelView& m, auto&, auto&) { m.n_global_draws = B::global_draws + 1; }));
  EXPECT_FALSE(fits_with([](ModelView& m, auto& sites, auto&) {
    sites.resize(B::sites + 1, sites.back());
    m.sites = sites.data();
    m.n_sites = B::sites + 1;
  }));
  EXPECT_FALSE(fits_with([](ModelView&, auto& sites, auto&) { sites[0].n_activities = B::activities + 1; }));
  EXPECT_FALSE(fits_with([](ModelView&, auto& sites, auto&) {
    sites[0].n_events = (B::site_draws - kSiteFixedDraws - sites[0].n_drivers - sites[0].n_activities) / 3 + 1;
  }));
  EXPECT_FALSE(fits_with([](ModelView& m, auto&, auto& players) { players[m.n_players - 1].period_end = B::periods + 1; }));
}
