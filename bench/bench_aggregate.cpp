// Aggregation: exact percentiles and statistics. One column, by sorting it
// (summarize, the aggregation before streaming) and by the three radix-select
// passes of ColumnSummary (the aggregation now, in memory or streaming), and a
// whole run of base.toml's shape, for 1M and 10M paths. Items are paths.
#include <benchmark/benchmark.h>

#include <random>

#include "host/config/config.hpp"
#include "host/metrics/aggregate.hpp"

namespace {

std::vector<float> random_column(std::uint64_t n) {
  std::mt19937_64 gen(42);
  std::normal_distribution<float> dist(10.0f, 30.0f);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(gen);
  return v;
}

void BM_SummarizeColumn(benchmark::State& state) {
  const auto column = random_column(static_cast<std::uint64_t>(state.range(0)));
  for (auto _ : state) {
    std::vector<float> copy = column;
    benchmark::DoNotOptimize(buildout::summarize(copy));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SummarizeColumn)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ColumnSummaryPasses(benchmark::State& state) {
  const auto column = random_column(static_cast<std::uint64_t>(state.range(0)));
  for (auto _ : state) {
    buildout::ColumnSummary c(column.size());
    for (int pass = 0; pass < buildout::kSummaryPasses; ++pass) {
      c.add(pass, 0, column.data(), column.size());
      c.finish_pass(pass);
    }
    benchmark::DoNotOptimize(c.summary());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ColumnSummaryPasses)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_AggregateBaseRun(benchmark::State& state) {
  const auto model = buildout::compile_model(
      buildout::load_config_file(std::string(BUILDOUT_SOURCE_DIR) + "/configs/base.toml"), 1);
  const auto n = static_cast<std::uint64_t>(state.range(0));
  buildout::PathResults r;
  r.paths = n;
  r.n_players = model.n_players();
  r.n_sites = model.n_sites();
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<float> u(0.0f, 96.0f);
  r.player_metrics.resize(n * model.n_player_metrics() * r.n_players);
  for (auto& x : r.player_metrics) x = u(gen);
  r.player_flags.assign(n * r.n_players, 1);
  r.site_ready_month.resize(n * r.n_sites);
  for (auto& x : r.site_ready_month) x = u(gen);
  for (int s = 0; s < r.n_sites; ++s) r.critical_counts.emplace_back(model.sites[s].n_activities, n / 2);
  for (auto _ : state) benchmark::DoNotOptimize(buildout::aggregate(model, r, 0));
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_AggregateBaseRun)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

}  // namespace
