// Philox4_32_10 normal draws per second: cuRAND's device API compiled for the
// host (the CPU backend's random numbers), and on the GPU when one is present.
// Items are normal variates.
#include <benchmark/benchmark.h>

#include "host/engine/backend.hpp"
#include "kernels/draws.hpp"

namespace {

constexpr int kPerPath = 626;  // random numbers per path of configs/base.toml

// What the kernel draws: four single-precision normals per Philox call.
void BM_PhiloxNormals_Host(benchmark::State& state) {
  std::uint64_t path = 0;
  double sink = 0;
  for (auto _ : state) {
    buildout::RandomStream rng(1, path++);
    for (int k = 0; k < kPerPath; ++k) sink += rng.normal();
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * kPerPath);
}
BENCHMARK(BM_PhiloxNormals_Host);

// Draws without a factor loading take uniforms: four per Philox call, no Box-Muller.
void BM_PhiloxUniforms_Host(benchmark::State& state) {
  std::uint64_t path = 0;
  double sink = 0;
  for (auto _ : state) {
    buildout::RandomStream rng(1, path++);
    for (int k = 0; k < kPerPath; ++k) sink += rng.uniform();
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * kPerPath);
}
BENCHMARK(BM_PhiloxUniforms_Host);

// For comparison: double-precision Box-Muller pairs (curand_normal_double),
// what the kernel drew before it switched to curand_normal4.
void BM_PhiloxNormalsDouble_Host(benchmark::State& state) {
  std::uint64_t path = 0;
  double sink = 0;
  for (auto _ : state) {
    curandStatePhilox4_32_10_t s;
    curand_init(1, path++, 0, &s);
    for (int k = 0; k < kPerPath; ++k) sink += curand_normal_double(&s);
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * kPerPath);
}
BENCHMARK(BM_PhiloxNormalsDouble_Host);

void BM_PhiloxNormals_Cuda(benchmark::State& state) {
  if (buildout::cuda_device_count() == 0) {
    state.SkipWithError("no CUDA GPU visible");
    return;
  }
  const std::uint64_t paths = 1 << 20;
  for (auto _ : state) buildout::cuda_draw_normals(1, paths, kPerPath);
  state.SetItemsProcessed(state.iterations() * paths * kPerPath);
}
BENCHMARK(BM_PhiloxNormals_Cuda)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
