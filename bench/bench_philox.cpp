// Philox4_32_10 draws per second: cuRAND's device API compiled for the host
// (the CPU backend's random numbers), and on the GPU when one is present.
// Items are random numbers.
#include <benchmark/benchmark.h>

#include "host/engine/backend.hpp"
#include "kernels/draws.hpp"

namespace {

constexpr int kPerPath = 626;  // random numbers per path of configs/base.toml

// Times kPerPath draws of a fresh path per iteration; items are draws.
template <typename Draw>
void time_draws(benchmark::State& state, Draw draw) {
  std::uint64_t path = 0;
  double sink = 0;
  for (auto _ : state) {
    const buildout::PathStreams rng{1, path++};
    for (int k = 0; k < kPerPath; ++k) sink += draw(rng, static_cast<std::uint64_t>(k));
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * kPerPath);
}

// What the kernel draws for a loaded draw: one Philox block and one Box-Muller per draw.
void BM_StreamNormals_Host(benchmark::State& state) {
  time_draws(state, [](const buildout::PathStreams& rng, std::uint64_t k) { return rng.philox_normal(k); });
}
BENCHMARK(BM_StreamNormals_Host);

// Draws without a factor loading take a uniform: one Philox block, no Box-Muller.
void BM_StreamUniforms_Host(benchmark::State& state) {
  time_draws(state, [](const buildout::PathStreams& rng, std::uint64_t k) { return rng.philox_uniform(k); });
}
BENCHMARK(BM_StreamUniforms_Host);

// For comparison: one sequential stream per path, four normals per Philox call
// (curand_normal4), which the kernel drew before its draws had named streams.
void BM_SequentialNormals4_Host(benchmark::State& state) {
  std::uint64_t path = 0;
  double sink = 0;
  for (auto _ : state) {
    curandStatePhilox4_32_10_t s;
    curand_init(1, path++, 0, &s);
    for (int k = 0; k < kPerPath; k += 4) {
      const float4 z = curand_normal4(&s);
      sink += z.x + z.y + z.z + z.w;
    }
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * kPerPath);
}
BENCHMARK(BM_SequentialNormals4_Host);

void BM_StreamNormals_Cuda(benchmark::State& state) {
  if (buildout::cuda_device_count() == 0) {
    state.SkipWithError("no CUDA GPU visible");
    return;
  }
  const std::uint64_t paths = 1 << 20;
  for (auto _ : state) buildout::cuda_draw_normals(1, paths, kPerPath);
  state.SetItemsProcessed(state.iterations() * paths * kPerPath);
}
BENCHMARK(BM_StreamNormals_Cuda)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
