// The hook that -fsanitize-coverage=trace-pc calls at the start of every basic block of the
// traced translation unit (warp_divergence.cpp). Built without that flag, or it would call itself.
#include "trace_hook.hpp"

#include <cstdlib>

namespace buildout::warp {
TraceBuffer g_trace;
}

extern "C" void __sanitizer_cov_trace_pc() {
  buildout::warp::TraceBuffer& t = buildout::warp::g_trace;
  if (!t.recording) return;
  if (t.size == t.capacity) {
    t.capacity = t.capacity ? 2 * t.capacity : std::size_t{1} << 16;
    t.pcs = static_cast<std::uint64_t*>(std::realloc(t.pcs, t.capacity * sizeof *t.pcs));
    if (!t.pcs) std::abort();
  }
  t.pcs[t.size++] = reinterpret_cast<std::uint64_t>(__builtin_return_address(0));
}
