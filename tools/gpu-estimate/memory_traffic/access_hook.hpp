#pragma once
#include <cstddef>
#include <cstdint>

#include "reuse_distance.hpp"

namespace buildout::traffic {

// The bytes the instrumented translation unit (run_paths.cpp) accessed while recording is
// set, by the address of the access (the return address of its hook call) and by where the bytes
// were: the running path's stack frame [frame_lo, frame_hi), the kernel functor's own fields
// [param_lo, param_hi) (a CUDA kernel's parameters), or anywhere else (the model and the outputs).
// A fixed table: the hook runs inside the traced code and must call nothing that is traced.
enum Region { kFrame, kParam, kGlobal, kRegions };

// Which accesses the instrumented unit checks (tools/gpu-estimate/CMakeLists.txt), and so which of a copy's
// or a fill's the mem* wrappers count.
enum class Checked { kLoads, kStores, kBoth };

// The caches (bytes a thread) for which each site's frame bytes that miss are kept, when the
// tally is given the frame's accesses in order (`reuse`).
constexpr int kSiteCaches = 3;
constexpr std::size_t kSiteCacheBytes[kSiteCaches] = {512, 1024, 2048};

struct Site {
  std::uint64_t pc;  // 0: an empty slot
  std::uint64_t bytes[kRegions];
  std::uint64_t accesses[kRegions];
  std::uint64_t missed[kSiteCaches];
};

// How far below the kernel's caller a path's frame may reach (run_paths.cpp).
constexpr std::size_t kFrameWindowBytes = std::size_t{1} << 20;

struct AccessTally {
  static constexpr std::size_t kSlots = std::size_t{1} << 16;
  Site sites[kSlots];
  std::uintptr_t frame_lo = 0, frame_hi = 0, param_lo = 0, param_hi = 0;
  bool recording = false;
  Checked checked = Checked::kLoads;
  ReuseDistances* reuse = nullptr;  // when set, given the frame's accesses in order
  bool full = false;  // more access sites than slots: the tally is void
};
extern AccessTally g_tally;

// Called as each path starts, after the frame's bounds are set: a new GPU thread.
void begin_path();

}  // namespace buildout::traffic
