// The CPU backend: the path kernel under Thrust's OpenMP system.
#include <omp.h>

#include <thrust/for_each.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/system/omp/execution_policy.h>

#include "../../kernels/path_kernel.hpp"
#include "../config/config_error.hpp"
#include "backend.hpp"

namespace buildout {
namespace {

class CpuBackend final : public Backend {
 public:
  CpuBackend(const CompiledModel& model, int threads) : model_(model), threads_(threads > 0 ? threads : omp_get_num_procs()) {}
  std::string name() const override { return "cpu"; }
  std::string device() const override { return std::to_string(threads_) + " OpenMP thread" + (threads_ == 1 ? "" : "s"); }
  void run(std::uint64_t first, std::uint64_t count, PathBuffers& out) override {
    omp_set_num_threads(threads_);
    const PathKernel kernel{model_.view(), out.view(), first};
    thrust::for_each_n(thrust::omp::par, thrust::counting_iterator<std::uint64_t>(0), count, kernel);
  }

 private:
  const CompiledModel& model_;
  int threads_;
};

}  // namespace

std::unique_ptr<Backend> make_cpu_backend(const CompiledModel& model, int threads) {
  return std::make_unique<CpuBackend>(model, threads);
}

std::unique_ptr<Backend> make_backend(const std::string& device, const CompiledModel& model, int threads) {
  if (device == "cpu") return make_cpu_backend(model, threads);
  if (device == "cuda") return make_cuda_backend(model);
  if (device == "auto") return cuda_device_count() > 0 ? make_cuda_backend(model) : make_cpu_backend(model, threads);
  throw UserError("--device: expected auto, cpu or cuda, got \"" + device + "\"");
}

}  // namespace buildout
