// CPU and GPU backends on the same paths. Bit equality is not expected (the
// GPU's exp/log/erfc differ from the host's libm by a few ulp), so per-path
// metrics are compared with named tolerances; a path near a threshold (an
// event's occurrence, a critical-path tie, the payback month) may flip, so a
// small share of paths may differ beyond them.
#include <gtest/gtest.h>

#include <cmath>

#include "host/model/sobol_sampler.hpp"
#include "test_support.hpp"

using namespace buildout;
using namespace buildout::testing;

namespace {
constexpr double kRelativeTolerance = 1e-4;
constexpr double kAbsoluteTolerance = 1e-4;
constexpr double kMaxShareOfPathsBeyond = 1e-3;
constexpr std::uint64_t kPaths = 50000;
constexpr std::uint64_t kSeed = 20250101;
}  // namespace

namespace {

// The share of per-path values on which the two runs differ beyond the named tolerances.
double share_beyond(const PathResults& a, const PathResults& b) {
  std::uint64_t beyond = 0;
  for (std::size_t k = 0; k < a.player_metrics.size(); ++k) {
    const double x = a.player_metrics[k], y = b.player_metrics[k];
    beyond += std::fabs(x - y) > kAbsoluteTolerance + kRelativeTolerance * std::fabs(x);
  }
  for (std::size_t k = 0; k < a.site_ready_month.size(); ++k)
    beyond += std::fabs(a.site_ready_month[k] - b.site_ready_month[k]) > kAbsoluteTolerance + kRelativeTolerance * a.site_ready_month[k];
  return static_cast<double>(beyond) / (a.player_metrics.size() + a.site_ready_month.size());
}

void expect_parity(const CompiledModel& model, const char* sampler) {
  auto cpu = make_cpu_backend(model, 0);
  auto gpu = make_cuda_backend(model);
  const PathResults a = simulate(model, *cpu, kPaths, 8192, nullptr);
  const PathResults b = simulate(model, *gpu, kPaths, kPaths, nullptr);
  const double share = share_beyond(a, b);
  std::printf("parity (%s): seed %llu, %llu paths, %s: %.3g%% of values beyond tolerance\n", sampler,
              static_cast<unsigned long long>(kSeed), static_cast<unsigned long long>(kPaths), gpu->device().c_str(), 100 * share);
  EXPECT_LE(share, kMaxShareOfPathsBeyond) << sampler;
}

}  // namespace

TEST(Parity, CpuAndGpuAgreePathByPath) {
  if (cuda_device_count() == 0) GTEST_SKIP() << "no CUDA GPU visible: CPU/GPU parity not checked on this machine";
  CompiledModel model = compile_model(load_config_file(source_path("configs/base.toml")), kSeed);
  expect_parity(model, "philox");
  use_sobol_sampler(model);  // the Sobol' points and AS 241's quantile on both backends
  expect_parity(model, "sobol");
}
