// The batch reduction (kernels/batch_reduce.hpp) that the CUDA backend runs on the device,
// run here by the host on the same view: a run that keeps only its partials gives the tables,
// to the bit, that the host gives from the per-path values.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "host/config/config.hpp"
#include "host/engine/batch_partials.hpp"
#include "host/metrics/aggregate.hpp"
#include "host/metrics/streaming_passes.hpp"
#include "test_support.hpp"

using namespace buildout;
using namespace buildout::testing;

namespace {

// The CPU backend whose batches are reduced as the CUDA backend reduces them: it keeps the
// batch in its own buffers and hands back only the partials.
class HostReducingBackend final : public Backend {
 public:
  explicit HostReducingBackend(const CompiledModel& m) : model_(m), cpu_(make_cpu_backend(m, 2)) {}
  BackendKind kind() const override { return BackendKind::Cpu; }
  std::string device() const override { return "the CPU, reducing like the GPU"; }
  bool compact_kernel() const override { return cpu_->compact_kernel(); }
  void run(std::uint64_t first, std::uint64_t count, PathBuffers& out) override { cpu_->run(first, count, out); }
  bool reduces_batches() const override { return true; }
  void run_reduced(std::uint64_t first, std::uint64_t count, std::uint64_t batch, const BatchPlan& plan, BatchPartials& out) override {
    if (buf_.stride != batch) buf_.resize(model_, batch);
    cpu_->run(first, count, buf_);
    reduce_batch_on_host(model_, plan, buf_, first, count, out);
  }

 private:
  const CompiledModel& model_;
  std::unique_ptr<Backend> cpu_;
  PathBuffers buf_;
};

void expect_same_bits(const Summary& a, const Summary& b, const std::string& what) {
  EXPECT_EQ(std::memcmp(&a, &b, sizeof a), 0) << what << ": mean " << a.mean << " vs " << b.mean;
}

void expect_same_results(const Results& a, const Results& b) {
  ASSERT_EQ(a.players.size(), b.players.size());
  for (size_t p = 0; p < a.players.size(); ++p) {
    for (size_t k = 0; k < a.players[p].metrics.size(); ++k)
      expect_same_bits(a.players[p].metrics[k], b.players[p].metrics[k], a.players[p].id + " " + a.player_columns[k].name);
    for (size_t k = 0; k < a.players[p].probabilities.size(); ++k)
      EXPECT_EQ(a.players[p].probabilities[k].hits, b.players[p].probabilities[k].hits) << a.players[p].id << " probability " << k;
  }
  ASSERT_EQ(a.sites.size(), b.sites.size());
  for (size_t s = 0; s < a.sites.size(); ++s) {
    expect_same_bits(a.sites[s].ready_month, b.sites[s].ready_month, a.sites[s].id + " ready");
    expect_same_bits(a.sites[s].slip_months, b.sites[s].slip_months, a.sites[s].id + " slip");
    EXPECT_EQ(a.sites[s].ready_by_plan.hits, b.sites[s].ready_by_plan.hits) << a.sites[s].id;
    ASSERT_EQ(a.sites[s].criticality.size(), b.sites[s].criticality.size());
    for (size_t k = 0; k < a.sites[s].criticality.size(); ++k)
      EXPECT_EQ(a.sites[s].criticality[k].index, b.sites[s].criticality[k].index) << a.sites[s].id << " " << a.sites[s].criticality[k].id;
  }
}

}  // namespace

// base.toml, 70,000 paths in batches of 30,000: the third batch ends one block and opens the
// next, so the reduction continues a block's moments from where the host left them.
TEST(BatchReduce, PartialsGiveTheTablesTheHostGivesFromTheValues) {
  const CompiledModel model = compile_model(load_config_file(source_path("configs/base.toml")), 20250101);
  constexpr std::uint64_t kPaths = 70000, kBatch = 30000;
  auto cpu = make_cpu_backend(model, 2);
  const Results host = aggregate(model, simulate(model, *cpu, kPaths, kBatch, nullptr), 2);
  HostReducingBackend reducing(model);
  StreamingTimes times;
  const Results reduced = aggregate_streaming(model, reducing, kPaths, kBatch, 2, nullptr, StreamingControl{}, times, Ranks::world());
  expect_same_results(host, reduced);
}

// A non-finite value found by the reduction names the lowest path, then the lowest column, as
// the host's check does.
TEST(BatchReduce, TheFirstNonFiniteValueIsTheHostsOne) {
  const CompiledModel model = compile_model(load_config_text(config_with_network(R"(
[templates.t.activities.build]
duration = 12
)"), "<test>"), 7);
  constexpr std::uint64_t kN = 100;
  PathBuffers buf;
  buf.resize(model, kN);
  std::fill(buf.player_metrics.begin(), buf.player_metrics.end(), 1.0f);
  std::fill(buf.site_ready_month.begin(), buf.site_ready_month.end(), 12.0f);
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  buf.player_metrics[5 * kN + 42] = inf;
  buf.player_metrics[3 * kN + 42] = nan;
  buf.player_metrics[7 * kN + 60] = -inf;
  Aggregator agg(model, kN, 2);
  BatchPlan plan;
  agg.plan(0, 0, kN, plan);
  BatchPartials partials;
  reduce_batch_on_host(model, plan, buf, 0, kN, partials);
  const NonFinite host = find_non_finite(model, buf, kN, 0, plan.columns() + model.n_sites());
  EXPECT_EQ(partials.non_finite.path, 42u);
  EXPECT_EQ(partials.non_finite.column, 3);
  EXPECT_TRUE(std::isnan(partials.non_finite.value));
  EXPECT_EQ(host.path, partials.non_finite.path);
  EXPECT_EQ(host.column, partials.non_finite.column);
  buf.site_ready_month[10] = inf;  // an earlier path, in a unit's ready month
  reduce_batch_on_host(model, plan, buf, 0, kN, partials);
  EXPECT_EQ(partials.non_finite.path, 10u);
  EXPECT_EQ(partials.non_finite.column, plan.columns());
  EXPECT_THROW(require_finite(model, 1000, partials.non_finite), NonFiniteResult);
}

// On a GPU: a streaming run whose batches are reduced on the device gives the tables, to the
// bit, that the host gives from the same GPU's per-path values copied back.
TEST(BatchReduce, OnTheGpuTheSameTablesAsTheHostFromTheGpusValues) {
  if (cuda_device_count() == 0) GTEST_SKIP() << "no CUDA GPU visible: the device reduction was checked on the host only";
  const CompiledModel model = compile_model(load_config_file(source_path("configs/base.toml")), 20250101);
  constexpr std::uint64_t kPaths = 200000, kBatch = 90000;  // batches that split blocks
  auto gpu = make_cuda_backend(model);
  const Results host = aggregate(model, simulate(model, *gpu, kPaths, kBatch, nullptr), 0);
  StreamingTimes times;
  const Results reduced = aggregate_streaming(model, *gpu, kPaths, kBatch, 0, nullptr, StreamingControl{}, times, Ranks::world());
  expect_same_results(host, reduced);
}
