#include "run_paths.hpp"

#include "kernels/path_bounds.hpp"
#include "kernels/path_kernel.hpp"
#include "access_hook.hpp"

namespace buildout::traffic {

namespace {
// The path's frame is this call's and those below it: what the kernel keeps on its stack, a
// GPU thread's local memory. Not inlined itself, so that its frame address bounds the kernel's,
// and with every call the kernel makes inlined into it, as nvcc compiles a kernel (what stays in
// registers depends on it).
template <class Kernel>
__attribute__((flatten, noinline)) void run_path(const Kernel& kernel, std::uint64_t i) {
  AccessTally& t = g_tally;
  t.frame_hi = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
  t.frame_lo = t.frame_hi - kFrameWindowBytes;
  t.param_lo = reinterpret_cast<std::uintptr_t>(&kernel);
  t.param_hi = t.param_lo + sizeof kernel;
  begin_path();
  t.recording = true;
  kernel(i);
  t.recording = false;
}
}  // namespace

void run_paths(const ModelView& m, const PathOutputsView& out, bool compact, std::uint64_t paths) {
  with_path_bounds(compact, [&](auto bounds) {
    const PathKernel<decltype(bounds)> kernel{m, out, 0};
    for (std::uint64_t i = 0; i < paths; ++i) run_path(kernel, i);
  });
}

}  // namespace buildout::traffic
