#include "batch_partials.hpp"

#include <thrust/for_each.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/system/omp/execution_policy.h>

namespace buildout {

void BatchPartials::reset(const CompiledModel& m, const BatchPlan& plan, std::uint64_t first, std::uint64_t n) {
  const std::uint64_t C = plan.columns();
  runs = block_runs(first, n);
  counts.assign(C * plan.count_stride, 0);
  run_moments.assign(plan.pass == 0 ? C * runs : 0, Moments{});
  run_tails.assign(plan.pass == 2 ? C * runs : 0, 0.0);
  hits.assign(static_cast<std::uint64_t>(m.n_players()) * kMaxFlagBits, 0);
  critical_counts.assign(static_cast<std::uint64_t>(m.n_sites()) * kMaxActivities, 0);
  first_nonfinite.assign(plan.pass == 0 ? plan.columns() : 0, n);
  non_finite = NonFinite{n};
}

BatchReduceView batch_reduce_view(const CompiledModel& m, const BatchPlan& plan, std::uint64_t first, std::uint64_t n, std::uint64_t stride) {
  BatchReduceView v{};
  v.pass = plan.pass;
  v.first = first;
  v.n = n;
  v.stride = stride;
  v.runs = block_runs(first, n);
  v.n_columns = plan.columns();
  v.n_players = m.n_players();
  v.n_units = m.n_sites();
  v.count_stride = plan.count_stride;
  return v;
}

void reduce_batch_on_host(const CompiledModel& m, const BatchPlan& plan, const PathBuffers& batch, std::uint64_t first,
                          std::uint64_t n, BatchPartials& out) {
  out.reset(m, plan, first, n);
  BatchReduceView v = batch_reduce_view(m, plan, first, n, batch.stride);
  v.metrics = batch.player_metrics.data();
  v.flags = batch.player_flags.data();
  v.critical = batch.site_critical.data();
  point_view(v, plan, out);
  thrust::for_each_n(thrust::omp::par, thrust::counting_iterator<std::uint64_t>(0), v.tasks(), v);
  out.sites.stride = batch.stride;
  out.sites.site_ready_month = batch.site_ready_month;
  if (plan.pass == 0)
    out.find_non_finite(m, n, [&](int c, std::uint64_t i) { return batch.player_metrics[c * batch.stride + i]; });
}

}  // namespace buildout
