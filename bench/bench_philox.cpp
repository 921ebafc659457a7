// Philox4_32_10 normal draws per second: cuRAND's device API compiled for the
// host (the CPU backend's random numbers), and on the GPU when one is present.
// Items are normal variates.
#include <benchmark/benchmark.h>

#include "host/engine/backend.hpp"
#include "kernels/draws.hpp"

namespace {

constexpr int kPerPath = 626;  // random numbers per path of configs/base.toml

// Times kPerPath draws from a fresh path stream per iteration; items are draws.
template <typename Draw>
void time_draws(benchmark::State& state, Draw draw) {
  std::uint64_t path = 0;
  double sink = 0;
  for (auto _ : state) {
    buildout::RandomStream rng(1, path++);
    for (int k = 0; k < kPerPath; ++k) sink += draw(rng);
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * kPerPath);
}

// What the kernel draws: four single-precision normals per Philox call.
void BM_PhiloxNormals_Host(benchmark::State& state) {
  time_draws(state, [](buildout::RandomStream& rng) { return rng.normal(); });
}
BENCHMARK(BM_PhiloxNormals_Host);

// Draws without a factor loading take uniforms: four per Philox call, no Box-Muller.
void BM_PhiloxUniforms_Host(benchmark::State& state) {
  time_draws(state, [](buildout::RandomStream& rng) { return rng.uniform(); });
}
BENCHMARK(BM_PhiloxUniforms_Host);

// For comparison: double-precision Box-Muller pairs (curand_normal_double) from
// the same Philox state, what the kernel drew before it switched to curand_normal4.
void BM_PhiloxNormalsDouble_Host(benchmark::State& state) {
  time_draws(state, [](buildout::RandomStream& rng) { return curand_normal_double(&rng.state); });
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
