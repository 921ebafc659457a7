// Aggregation: exact percentiles and statistics. One column, by sorting it
// (summarize, the aggregation before streaming) and by the three radix-select
// passes of ColumnSummary (the aggregation now, in memory or streaming), and a
// whole run of base.toml's shape, for 1M and 10M paths; and one batch of that
// shape (pass 0) as the host takes it: every per-path value copied back and
// aggregated, or only the partials of the reduction on the device
// (kernels/batch_reduce.hpp, run here on the host threads). Items are paths.
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

// One batch of n paths of base.toml's shape with random values, and the plan for pass 0.
struct RandomBatch {
  buildout::CompiledModel model = buildout::compile_model(
      buildout::load_config_file(std::string(BUILDOUT_SOURCE_DIR) + "/configs/base.toml"), 1);
  std::uint64_t n;
  buildout::PathBuffers values;
  buildout::BatchPlan plan;
  explicit RandomBatch(std::uint64_t paths) : n(paths) {
    values.resize(model, n);
    std::mt19937_64 gen(7);
    std::uniform_real_distribution<float> u(0.0f, 96.0f);
    for (auto& x : values.player_metrics) x = u(gen);
    for (auto& x : values.site_ready_month) x = u(gen);
    for (auto& f : values.player_flags) f = static_cast<std::uint8_t>(gen());
    for (auto& c : values.site_critical) c = gen() & 0x7;
    buildout::Aggregator(model, n, 0).plan(0, 0, n, plan);
  }
};

std::uint64_t bytes_of(const buildout::BatchPartials& p) {
  return p.counts.size() * sizeof(unsigned) + p.run_moments.size() * sizeof(buildout::Moments) + p.run_tails.size() * sizeof(double) +
         (p.hits.size() + p.critical_counts.size() + p.first_nonfinite.size()) * sizeof(unsigned long long) +
         p.sites.site_ready_month.size() * sizeof(float);
}

// Today's host route: the whole batch comes back and the host aggregates every value.
void BM_HostAggregatesBatchValues(benchmark::State& state) {
  const RandomBatch b(static_cast<std::uint64_t>(state.range(0)));
  const buildout::PathBuffers& v = b.values;
  for (auto _ : state) {
    buildout::Aggregator agg(b.model, b.n, 0);
    agg.add(0, 0, b.n, buildout::BatchColumns{v.stride, v.player_metrics.data(), v.player_flags.data(), v.site_ready_month.data(),
                                              v.site_critical.data()});
    benchmark::DoNotOptimize(agg);
  }
  state.SetItemsProcessed(state.iterations() * b.n);
  state.counters["bytes_to_host_per_path"] = static_cast<double>(buildout::PathBuffers::bytes_per_path(b.model));
}
BENCHMARK(BM_HostAggregatesBatchValues)->Arg(1 << 20)->Unit(benchmark::kMillisecond)->UseRealTime();

// The device route, the host's part: the plan, then the partials folded in.
void BM_HostTakesBatchPartials(benchmark::State& state) {
  RandomBatch b(static_cast<std::uint64_t>(state.range(0)));
  buildout::BatchPartials partials;
  buildout::reduce_batch_on_host(b.model, b.plan, b.values, 0, b.n, partials);
  for (auto _ : state) {
    buildout::Aggregator agg(b.model, b.n, 0);
    agg.plan(0, 0, b.n, b.plan);
    agg.add_partials(0, 0, b.n, partials);
    benchmark::DoNotOptimize(agg);
  }
  state.SetItemsProcessed(state.iterations() * b.n);
  state.counters["bytes_to_host_per_path"] = static_cast<double>(bytes_of(partials)) / b.n;
}
BENCHMARK(BM_HostTakesBatchPartials)->Arg(1 << 20)->Unit(benchmark::kMillisecond)->UseRealTime();

// The device route's reduction itself, on the host threads (on a GPU it runs on the device).
void BM_ReduceBatchOnHostThreads(benchmark::State& state) {
  const RandomBatch b(static_cast<std::uint64_t>(state.range(0)));
  buildout::BatchPartials partials;
  for (auto _ : state) buildout::reduce_batch_on_host(b.model, b.plan, b.values, 0, b.n, partials);
  state.SetItemsProcessed(state.iterations() * b.n);
}
BENCHMARK(BM_ReduceBatchOnHostThreads)->Arg(1 << 20)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
