// The CPU backend: the path kernel on OpenMP threads.
#include <omp.h>

#include "kernels/path_kernel.hpp"
#include "backend.hpp"

namespace buildout {
namespace {

// Paths are handed out in chunks as threads come free, not split in equal
// halves up front as thrust::omp's for_each does: on a shared machine one
// core is often slower for a while, and a static split waits for it. Side by
// side on the 2-core development machine, dynamic chunks gave a median 9-12%
// more paths/s (docs/perf-log.md, "Threads"). A chunk is ~2 ms of work.
constexpr int kChunkPaths = 64;

class CpuBackend final : public Backend {
 public:
  CpuBackend(const CompiledModel& model, int threads, PathKernelSize size)
      : model_(model), threads_(threads > 0 ? threads : omp_get_num_procs()), compact_(runs_compact_kernel(model, size)) {}
  BackendKind kind() const override { return BackendKind::Cpu; }
  bool compact_kernel() const override { return compact_; }
  std::string device() const override { return std::to_string(threads_) + " OpenMP thread" + (threads_ == 1 ? "" : "s"); }
  void run(std::uint64_t first, std::uint64_t count, PathBuffers& out) override {
    with_path_bounds(compact_, [&](auto bounds) {
      const PathKernel<decltype(bounds)> kernel{model_.view(), out.view(), first};
      const long long n = static_cast<long long>(count);
#pragma omp parallel for num_threads(threads_) schedule(dynamic, kChunkPaths)
      for (long long i = 0; i < n; ++i) kernel(static_cast<std::uint64_t>(i));
    });
  }

 private:
  const CompiledModel& model_;
  int threads_;
  bool compact_;
};

}  // namespace

std::unique_ptr<Backend> make_cpu_backend(const CompiledModel& model, int threads, PathKernelSize size) {
  return std::make_unique<CpuBackend>(model, threads, size);
}

}  // namespace buildout
