#pragma once
#include <cstddef>
#include <cstdint>

namespace buildout::traffic {

// The bytes the instrumented translation unit (memory_traffic.cpp) accessed while recording is
// set, by the address of the access (the return address of its hook call) and by where the bytes
// were: the running path's stack frame [frame_lo, frame_hi), the kernel functor's own fields
// [param_lo, param_hi) (a CUDA kernel's parameters), or anywhere else (the model and the outputs).
// A fixed table: the hook runs inside the traced code and must call nothing that is traced.
enum Region { kFrame, kParam, kGlobal, kRegions };

struct Site {
  std::uint64_t pc;  // 0: an empty slot
  std::uint64_t bytes[kRegions];
  std::uint64_t accesses[kRegions];
};

struct AccessTally {
  static constexpr std::size_t kSlots = std::size_t{1} << 16;
  Site sites[kSlots];
  std::uintptr_t frame_lo = 0, frame_hi = 0, param_lo = 0, param_hi = 0;
  bool recording = false;
  bool stores = false;  // which the instrumented unit checks: its stores, or else its loads
  bool full = false;  // more access sites than slots: the tally is void
};
extern AccessTally g_tally;

}  // namespace buildout::traffic
