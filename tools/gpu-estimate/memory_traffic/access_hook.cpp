// The callbacks GCC's -fsanitize=kernel-address calls before each load or store of the
// instrumented unit (with --param asan-instrumentation-with-call-threshold=0, every access calls
// one), and wrappers of the mem* functions, which it does not check. Built without that flag, or
// the hooks would call themselves.
#include "access_hook.hpp"

#include <cstring>

namespace buildout::traffic {
AccessTally g_tally;

void begin_path() {
  if (g_tally.reuse) g_tally.reuse->begin_path();
}

namespace {
Site* site_of(std::uint64_t pc) {
  AccessTally& t = g_tally;
  for (std::size_t probe = 0, k = (pc * 0x9E3779B97F4A7C15ull) >> 48; probe < AccessTally::kSlots;
       ++probe, k = (k + 1) & (AccessTally::kSlots - 1)) {
    Site& s = t.sites[k];
    if (s.pc == 0) s.pc = pc;
    if (s.pc == pc) return &s;
  }
  t.full = true;
  return nullptr;
}

void tally(const void* p, std::size_t n, const void* pc) {
  AccessTally& t = g_tally;
  if (!t.recording || n == 0) return;
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  const Region r = a >= t.frame_lo && a < t.frame_hi ? kFrame : a >= t.param_lo && a < t.param_hi ? kParam : kGlobal;
  Site* s = site_of(reinterpret_cast<std::uint64_t>(pc));
  if (!s) return;
  s->bytes[r] += n;
  ++s->accesses[r];
  if (r == kFrame && t.reuse)
    t.reuse->access(a - t.frame_lo, n, [s](std::size_t bytes, std::size_t words) {
      for (int c = 0; c < kSiteCaches; ++c)
        if (words == 0 || words * ReuseDistances::kWordBytes > kSiteCacheBytes[c]) s->missed[c] += bytes;
    });
}

// A copy reads its source and writes its destination, in that order.
void copied(void* d, const void* s, std::size_t n, const void* pc) {
  if (g_tally.checked != Checked::kStores) tally(s, n, pc);
  if (g_tally.checked != Checked::kLoads) tally(d, n, pc);
}
}  // namespace
}  // namespace buildout::traffic

#define BUILDOUT_ACCESS_HOOKS(n)                                                                              \
  extern "C" void __asan_load##n##_noabort(void* p) { buildout::traffic::tally(p, n, __builtin_return_address(0)); } \
  extern "C" void __asan_store##n##_noabort(void* p) { buildout::traffic::tally(p, n, __builtin_return_address(0)); }
BUILDOUT_ACCESS_HOOKS(1)
BUILDOUT_ACCESS_HOOKS(2)
BUILDOUT_ACCESS_HOOKS(4)
BUILDOUT_ACCESS_HOOKS(8)
BUILDOUT_ACCESS_HOOKS(16)
#undef BUILDOUT_ACCESS_HOOKS

extern "C" {
void __asan_loadN_noabort(void* p, std::size_t n) { buildout::traffic::tally(p, n, __builtin_return_address(0)); }
void __asan_storeN_noabort(void* p, std::size_t n) { buildout::traffic::tally(p, n, __builtin_return_address(0)); }
// A call that does not return (a throw): nothing to unpoison, as nothing is poisoned.
void __asan_handle_no_return() {}

// The mem* calls GCC makes of copies and fills (linked with --wrap): what they read and what they
// write count, as a GPU thread's loads and stores would.
void* __real_memcpy(void*, const void*, std::size_t);
void* __real_memmove(void*, const void*, std::size_t);
void* __real_memset(void*, int, std::size_t);
void* __wrap_memcpy(void* d, const void* s, std::size_t n) {
  buildout::traffic::copied(d, s, n, __builtin_return_address(0));
  return __real_memcpy(d, s, n);
}
void* __wrap_memmove(void* d, const void* s, std::size_t n) {
  buildout::traffic::copied(d, s, n, __builtin_return_address(0));
  return __real_memmove(d, s, n);
}
void* __wrap_memset(void* d, int c, std::size_t n) {
  if (buildout::traffic::g_tally.checked != buildout::traffic::Checked::kLoads)
    buildout::traffic::tally(d, n, __builtin_return_address(0));
  return __real_memset(d, c, n);
}
}
