// The CUDA backend: the same path kernel, one thread a path in a launch of its own (run_paths),
// with the compiled model copied to device memory once (every array of BUILDOUT_MODEL_ARRAYS);
// each batch's outputs are copied back, or reduced on the device (run_reduced, through Thrust).
#include <cuda_runtime.h>

#include <cstdlib>
#include <type_traits>

#include <thrust/for_each.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/system/cuda/execution_policy.h>

#include "kernels/path_kernel.hpp"
#include "host/config/config_error.hpp"
#include "backend.hpp"

namespace buildout {
namespace {

void check(cudaError_t status, const char* what) {
  if (status != cudaSuccess) {
    cudaGetLastError();  // clear it, so it does not surface at an unrelated launch
    throw std::runtime_error(std::string("CUDA error in ") + what + ": " + cudaGetErrorString(status));
  }
}

// The path kernel has a launch of its own rather than Thrust's for_each, whose 256-thread blocks
// would hold it to 128 registers, where it spills. Its cap, 168 registers, is the most at which
// three blocks of 128 threads fit an SM's 65,536 registers (allocated in units of 8 a thread): 12
// warps an SM, and no spills (scripts/ptx-local-memory.sh prints what ptxas uses). At 128 it
// holds 16 warps but spills. Which is faster is for a GPU to say: the compact kernel is built at
// both caps (PathRegisters), and the benchmarks that scripts/gpu-check.sh runs time both.
constexpr int kPathBlockThreads = 128;
constexpr int kPathRegisters = 168;  // scripts/ptx-local-memory.sh reads it here

template <int kMaxRegisters, class Kernel>
__global__ void __maxnreg__(kMaxRegisters) run_paths(Kernel kernel, std::uint64_t count) {
  const std::uint64_t i = static_cast<std::uint64_t>(blockIdx.x) * kPathBlockThreads + threadIdx.x;
  if (i < count) kernel(i);
}

template <class T>
struct DeviceArray {
  T* ptr = nullptr;
  std::size_t n = 0;
  DeviceArray() = default;
  explicit DeviceArray(std::size_t count) : n(count) {
    if (n) check(cudaMalloc(&ptr, n * sizeof(T)), "cudaMalloc");
  }
  explicit DeviceArray(const std::vector<T>& host) : DeviceArray(host.size()) {
    if (n) check(cudaMemcpy(ptr, host.data(), n * sizeof(T), cudaMemcpyHostToDevice), "cudaMemcpy to device");
  }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
  DeviceArray& operator=(DeviceArray&& o) noexcept { std::swap(ptr, o.ptr); std::swap(n, o.n); return *this; }
  ~DeviceArray() { if (ptr) cudaFree(ptr); }
  void to_host(T* dst, std::size_t count) const {
    if (count) check(cudaMemcpy(dst, ptr, count * sizeof(T), cudaMemcpyDeviceToHost), "cudaMemcpy to host");
  }
  void to_host(std::vector<T>& dst) const { to_host(dst.data(), dst.size()); }
  T* data() const { return ptr; }
  // Holds a copy of host, reallocated only when the size changes.
  void assign(const std::vector<T>& host) {
    if (host.size() != n) *this = DeviceArray(host.size());
    if (n) check(cudaMemcpy(ptr, host.data(), n * sizeof(T), cudaMemcpyHostToDevice), "cudaMemcpy to device");
  }
};

class CudaBackend final : public Backend {
 public:
  CudaBackend(const CompiledModel& m, PathKernelSize size, PathRegisters registers)
      : model_(m), compact_(runs_compact_kernel(m, size)), registers_(registers) {
    if (!compact_ && registers_ != PathRegisters::Capped168)
      throw UserError("the CUDA path kernel is built at other register caps than 168 for its compact build only");
    // Under mpirun each rank on a node takes its own GPU: local rank -> device.
    if (const char* local = std::getenv("OMPI_COMM_WORLD_LOCAL_RANK")) {
      int count = 0;
      check(cudaGetDeviceCount(&count), "cudaGetDeviceCount");
      if (count > 0) check(cudaSetDevice(std::atoi(local) % count), "cudaSetDevice");
    }
    cudaDeviceProp prop{};
    int dev = 0;
    check(cudaGetDevice(&dev), "cudaGetDevice");
    check(cudaGetDeviceProperties(&prop, dev), "cudaGetDeviceProperties");
    device_ = prop.name;
    view_ = m.view();
#define BUILDOUT_TO_DEVICE(type, name) \
  name##_ = DeviceArray<type>(m.name); \
  view_.name = name##_.ptr;
    BUILDOUT_MODEL_ARRAYS(BUILDOUT_TO_DEVICE)
#undef BUILDOUT_TO_DEVICE
  }
  BackendKind kind() const override { return BackendKind::Cuda; }
  std::string device() const override { return device_; }
  bool compact_kernel() const override { return compact_; }

  void run(std::uint64_t first, std::uint64_t count, PathBuffers& out) override {
    simulate(first, count, out.stride);
    metrics_.to_host(out.player_metrics.data(), metrics_.n);
    flags_.to_host(out.player_flags.data(), flags_.n);
    ready_.to_host(out.site_ready_month.data(), ready_.n);
    critical_.to_host(out.site_critical.data(), critical_.n);
  }

  bool reduces_batches() const override { return true; }

  // The batch stays on the device: kernels/batch_reduce.hpp reduces it there, and only the
  // partials and the units' ready months (a few floats a path) are copied back.
  void run_reduced(std::uint64_t first, std::uint64_t count, std::uint64_t batch, const BatchPlan& plan, BatchPartials& out) override {
    simulate(first, count, batch);
    out.reset(model_, plan, first, count);
    const auto upload = [](auto& device, const auto& host) { device.assign(host); };
    each_plan_array(plan_, plan, upload);
    each_partial_array(partials_, out, upload);  // the zeroed counters, and first_nonfinite at count
    BatchReduceView v = batch_reduce_view(model_, plan, first, count, stride_);
    v.metrics = metrics_.ptr;
    v.flags = flags_.ptr;
    v.critical = critical_.ptr;
    point_view(v, plan_, partials_);
    thrust::for_each_n(thrust::cuda::par, thrust::counting_iterator<std::uint64_t>(0), v.tasks(), v);
    check(cudaDeviceSynchronize(), "batch reduction");
    each_partial_array(partials_, out, [](const auto& device, auto& host) { device.to_host(host); });
    out.sites.stride = stride_;
    out.sites.site_ready_month.resize(ready_.n);
    ready_.to_host(out.sites.site_ready_month);
    if (plan.pass == 0)
      out.find_non_finite(model_, count, [&](int c, std::uint64_t i) {
        float value = 0;
        check(cudaMemcpy(&value, metrics_.ptr + c * stride_ + i, sizeof value, cudaMemcpyDeviceToHost), "cudaMemcpy to host");
        return value;
      });
  }

 private:
  // Paths [first, first + count) into the device's buffers, laid out at stride.
  void simulate(std::uint64_t first, std::uint64_t count, std::uint64_t stride) {
    if (stride_ != stride) allocate(stride);
    const PathOutputsView dev{stride_, metrics_.ptr, flags_.ptr, ready_.ptr, critical_.ptr};
    if (count == 0) return;
    const unsigned blocks = static_cast<unsigned>((count + kPathBlockThreads - 1) / kPathBlockThreads);
    with_path_bounds(compact_, [&](auto bounds) {
      const PathKernel<decltype(bounds)> kernel{view_, dev, first};
      if constexpr (std::is_same_v<decltype(bounds), CompactPathBounds>) {  // the constructor holds the full kernel to 168
        if (registers_ == PathRegisters::Capped128) {
          run_paths<128><<<blocks, kPathBlockThreads>>>(kernel, count);
          return;
        }
      }
      run_paths<kPathRegisters><<<blocks, kPathBlockThreads>>>(kernel, count);
    });
    check(cudaGetLastError(), "path kernel launch");
    check(cudaDeviceSynchronize(), "path kernel");
  }

  void allocate(std::uint64_t stride) {
    stride_ = stride;
    metrics_ = DeviceArray<float>(stride * model_.n_player_metrics() * model_.n_players());
    flags_ = DeviceArray<std::uint8_t>(stride * model_.n_players());
    ready_ = DeviceArray<float>(stride * model_.n_sites());
    critical_ = DeviceArray<std::uint64_t>(stride * model_.n_sites());
  }

  const CompiledModel& model_;
  bool compact_;
  PathRegisters registers_;
#define BUILDOUT_DEVICE_ARRAY(type, name) DeviceArray<type> name##_;
  BUILDOUT_MODEL_ARRAYS(BUILDOUT_DEVICE_ARRAY)
#undef BUILDOUT_DEVICE_ARRAY
  ModelView view_{};
  std::string device_;
  std::uint64_t stride_ = 0;
  DeviceArray<float> metrics_, ready_;
  DeviceArray<std::uint8_t> flags_;
  DeviceArray<std::uint64_t> critical_;
  // run_reduced's plan and partials on the device, named as BatchPlan's and BatchPartials' arrays.
  struct {
    DeviceArray<std::int8_t> first_slot;
    DeviceArray<std::uint32_t> prefixes, tail_prefix;
    DeviceArray<int> n_prefixes;
    DeviceArray<Moments> moments_before;
    DeviceArray<double> tail_before;
  } plan_;
  struct {
    DeviceArray<unsigned int> counts;
    DeviceArray<Moments> run_moments;
    DeviceArray<double> run_tails;
    DeviceArray<unsigned long long> hits, critical_counts, first_nonfinite;
  } partials_;
};

struct DrawNormals {
  std::uint64_t seed;
  int per_path;
  double* sink;
  __device__ void operator()(std::uint64_t i) const {
    const PathStreams rng{seed, i};
    double sum = 0.0;
    for (int k = 0; k < per_path; ++k) sum += rng.philox_normal(static_cast<std::uint64_t>(k));
    sink[i] = sum;  // keeps the draws from being optimised away
  }
};

}  // namespace

bool cuda_backend_built() { return true; }

void cuda_draw_normals(std::uint64_t seed, std::uint64_t paths, int per_path) {
  if (cuda_device_count() == 0) throw UserError("no CUDA GPU is visible");
  DeviceArray<double> sink(paths);
  thrust::for_each_n(thrust::cuda::par, thrust::counting_iterator<std::uint64_t>(0), paths, DrawNormals{seed, per_path, sink.ptr});
  check(cudaDeviceSynchronize(), "normal draws");
}

int cuda_device_count() {
  int n = 0;
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    cudaGetLastError();
    return 0;
  }
  return n;
}

std::unique_ptr<Backend> make_cuda_backend(const CompiledModel& model, PathKernelSize size, PathRegisters registers) {
  if (cuda_device_count() == 0) throw UserError("--device cuda: no CUDA GPU is visible on this machine (use --device cpu or auto)");
  return std::make_unique<CudaBackend>(model, size, registers);
}

}  // namespace buildout
