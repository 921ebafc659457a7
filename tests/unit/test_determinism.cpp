// Same seed, same results: whatever the thread count or batch size.
#include <gtest/gtest.h>

#include "host/metrics/aggregate.hpp"
#include "host/report/reports.hpp"
#include "test_support.hpp"

using namespace buildout;
using namespace buildout::testing;

namespace {

constexpr std::uint64_t kPaths = 3000;

void expect_identical(const PathResults& a, const PathResults& b) {
  EXPECT_EQ(a.player_metrics, b.player_metrics);
  EXPECT_EQ(a.player_flags, b.player_flags);
  EXPECT_EQ(a.site_ready_month, b.site_ready_month);
  EXPECT_EQ(a.critical_counts, b.critical_counts);
}

}  // namespace

TEST(Determinism, ThreadsAndBatchesDoNotChangeAnyPath) {
  const std::string base = source_path("configs/base.toml");
  const auto ref = run_file(base, kPaths, 99, 1, kPaths);
  expect_identical(ref.paths, run_file(base, kPaths, 99, 2, kPaths).paths);
  expect_identical(ref.paths, run_file(base, kPaths, 99, 2, 257).paths);
  expect_identical(ref.paths, run_file(base, kPaths, 99, 1, 1000).paths);
}

TEST(Determinism, ReportsAreByteIdentical) {
  const std::string base = source_path("configs/base.toml");
  const auto a = run_file(base, kPaths, 5, 1, 100);
  const auto b = run_file(base, kPaths, 5, 2, kPaths);
  RunInfo info;
  info.valuation = a.model.valuation;
  info.data_date = a.model.data_date;
  info.horizon_months = a.model.months;
  const Results ra = aggregate(a.model, a.paths, 1), rb = aggregate(b.model, b.paths, 2);
  EXPECT_EQ(render_percentiles_csv(ra), render_percentiles_csv(rb));
  EXPECT_EQ(render_sites_csv(info, ra), render_sites_csv(info, rb));
  EXPECT_EQ(render_headline_md(info, ra), render_headline_md(info, rb));
}

TEST(Determinism, APathDependsOnlyOnSeedAndIndex) {
  // Paths 1000-1999 of a 2000-path run equal a run started at path 1000.
  const std::string base = source_path("configs/base.toml");
  const auto full = run_file(base, 2000, 3, 2, 2000);
  auto backend = make_cpu_backend(full.model, 2);
  PathBuffers buf;
  buf.resize(full.model, 1000);
  backend->run(1000, 1000, buf);
  for (int s = 0; s < full.model.n_sites(); ++s)
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(buf.site_ready_month[s * 1000 + i], full.paths.ready(s)[1000 + i]);
}

TEST(Determinism, ADifferentSeedGivesDifferentPaths) {
  const std::string base = source_path("configs/base.toml");
  EXPECT_NE(run_file(base, 500, 1, 2, 500).paths.player_metrics, run_file(base, 500, 2, 2, 500).paths.player_metrics);
}
