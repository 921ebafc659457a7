// The path kernel on configs/base.toml: paths per second on 1 and 2 CPU
// threads, and on the GPU when one is present, for the kernel's compact and full builds. Items
// are paths.
#include <benchmark/benchmark.h>

#include "host/config/config.hpp"
#include "host/engine/backend.hpp"
#include "host/model/compiled_model.hpp"

namespace {

const buildout::CompiledModel& base_model() {
  static const buildout::CompiledModel model =
      buildout::compile_model(buildout::load_config_file(std::string(BUILDOUT_SOURCE_DIR) + "/configs/base.toml"), 20250101);
  return model;
}

void run_batches(benchmark::State& state, buildout::Backend& backend, std::uint64_t batch) {
  buildout::PathBuffers buf;
  buf.resize(base_model(), batch);
  std::uint64_t first = 0;
  for (auto _ : state) {
    backend.run(first, batch, buf);
    first += batch;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
  state.counters["random_numbers_per_path"] = base_model().random_numbers_per_path();
}

// Arg "full" 1: the full build of the kernel, whose per-path arrays are sized by limits.hpp,
// instead of the compact one base.toml fits (kernels/path_bounds.hpp).
buildout::PathKernelSize kernel_size(const benchmark::State& state, int arg) {
  return state.range(arg) ? buildout::PathKernelSize::Full : buildout::PathKernelSize::Fitted;
}

void BM_PathKernel_Cpu(benchmark::State& state) {
  auto backend = buildout::make_cpu_backend(base_model(), static_cast<int>(state.range(0)), kernel_size(state, 1));
  run_batches(state, *backend, 8192);
}
BENCHMARK(BM_PathKernel_Cpu)
    ->ArgsProduct({{1, 2}, {0, 1}})
    ->ArgNames({"threads", "full"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Arg "registers": the compact kernel's register cap (host/engine/cuda_backend.cu), 168 as it
// runs (12 warps an SM) or 128 (16 warps, with spills), for scripts/gpu-check.sh to weigh the
// kernel's occupancy against its spills on a GPU.
buildout::PathRegisters register_cap(const benchmark::State& state, int arg) {
  return state.range(arg) == 128 ? buildout::PathRegisters::Capped128 : buildout::PathRegisters::Capped168;
}

void BM_PathKernel_Cuda(benchmark::State& state) {
  if (buildout::cuda_device_count() == 0) {
    state.SkipWithError("no CUDA GPU visible");
    return;
  }
  auto backend = buildout::make_cuda_backend(base_model(), kernel_size(state, 0), register_cap(state, 1));
  run_batches(state, *backend, std::uint64_t{1} << 21);
}
BENCHMARK(BM_PathKernel_Cuda)
    ->Args({0, 168})
    ->Args({0, 128})
    ->Args({1, 168})
    ->ArgNames({"full", "registers"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
