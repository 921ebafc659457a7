#pragma once
#include <cstddef>
#include <cstdint>

namespace buildout::warp {
// The basic blocks executed (the address after each block's call to the hook), recorded while
// recording is set. Grown by the hook itself, with no code of the traced unit (a std::vector's
// would be traced, and call the hook again).
struct TraceBuffer {
  std::uint64_t* pcs = nullptr;
  std::size_t size = 0, capacity = 0;
  bool recording = false;
};
extern TraceBuffer g_trace;
}  // namespace buildout::warp
