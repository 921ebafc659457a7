#pragma once
// A batch reduced where it was computed (kernels/batch_reduce.hpp): what the
// reduction is told of the pass (BatchPlan, made by the aggregation), and what
// comes back instead of the per-path results (BatchPartials).
#include <cstdint>
#include <vector>

#include "kernels/batch_reduce.hpp"
#include "host/model/compiled_model.hpp"
#include "finite_results.hpp"
#include "path_buffers.hpp"

namespace buildout {

// Per player column (metric * players + player), as BatchReduceView reads them.
struct BatchPlan {
  int pass = 0;
  int count_stride = kTopBins;
  std::vector<std::int8_t> first_slot;       // [c * kTopBins]
  std::vector<std::uint32_t> prefixes;    // [c * kMaxPrefixes]
  std::vector<int> n_prefixes;            // [c]
  std::vector<std::uint32_t> tail_prefix; // [c]
  std::vector<Moments> moments_before;    // [c]
  std::vector<double> tail_before;        // [c]
  int columns() const { return static_cast<int>(n_prefixes.size()); }
};

struct BatchPartials {
  std::uint64_t runs = 0;
  std::vector<unsigned int> counts;                // [c * count_stride + bin]
  std::vector<Moments> run_moments;                // [c * runs + r], pass 0
  std::vector<double> run_tails;                   // [c * runs + r], pass 2
  std::vector<unsigned long long> hits;            // [player * kMaxFlagBits + bit], pass 0
  std::vector<unsigned long long> critical_counts; // [unit * kMaxActivities + activity], pass 0
  std::vector<unsigned long long> first_nonfinite; // [c]: the first path in the batch, n when none (pass 0)
  PathBuffers sites;  // the units' ready months as computed ([unit * stride]); the other buffers are empty
  NonFinite non_finite{0};  // the batch's first over player columns and units (pass 0), after find_non_finite

  // Sized and zeroed for a batch of n paths from first under plan.
  void reset(const CompiledModel& m, const BatchPlan& plan, std::uint64_t first, std::uint64_t n);
  // After the reduction: non_finite from first_nonfinite and the units' ready months;
  // value_at(c, i) reads player column c's value of path i where the batch lies.
  template <class ValueAt>
  void find_non_finite(const CompiledModel& m, std::uint64_t n, ValueAt value_at) {
    const int columns = static_cast<int>(first_nonfinite.size());
    non_finite = buildout::find_non_finite(m, sites, n, columns, columns + m.n_sites());
    for (int c = 0; c < columns; ++c)
      if (first_nonfinite[c] < n) non_finite = non_finite.first_of(NonFinite{first_nonfinite[c], c, value_at(c, first_nonfinite[c])});
  }
};

// Calls f(a.x, b.x) for each array x the reduction reads of the plan, then for each it writes:
// BatchReduceView, BatchPlan with BatchPartials, and their device copies name them alike, so one
// list serves pointing the view at either and copying between them.
template <class A, class B, class F>
void each_plan_array(A& a, B& b, F f) {
  f(a.first_slot, b.first_slot);
  f(a.prefixes, b.prefixes);
  f(a.n_prefixes, b.n_prefixes);
  f(a.tail_prefix, b.tail_prefix);
  f(a.moments_before, b.moments_before);
  f(a.tail_before, b.tail_before);
}
template <class A, class B, class F>
void each_partial_array(A& a, B& b, F f) {
  f(a.counts, b.counts);
  f(a.run_moments, b.run_moments);
  f(a.run_tails, b.run_tails);
  f(a.hits, b.hits);
  f(a.critical_counts, b.critical_counts);
  f(a.first_nonfinite, b.first_nonfinite);
}

// Points the view's plan and partials at where their arrays are (anything with data()).
template <class PlanArrays, class PartialArrays>
void point_view(BatchReduceView& v, const PlanArrays& plan, PartialArrays& partials) {
  const auto at = [](auto& field, auto& array) { field = array.data(); };
  each_plan_array(v, plan, at);
  each_partial_array(v, partials, at);
}

// The view of a batch of n paths from first under plan, sizes only: the caller points it at
// the batch (and with point_view at the plan and the partials) where the reduction runs.
BatchReduceView batch_reduce_view(const CompiledModel& m, const BatchPlan& plan, std::uint64_t first, std::uint64_t n, std::uint64_t stride);

// The reduction on this machine's threads, of a batch held in host memory; the CUDA backend
// runs the same view on the device. For the tests that hold the two together.
void reduce_batch_on_host(const CompiledModel& m, const BatchPlan& plan, const PathBuffers& batch, std::uint64_t first,
                          std::uint64_t n, BatchPartials& out);

}  // namespace buildout
