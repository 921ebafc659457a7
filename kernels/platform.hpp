#pragma once
// The one place that knows which compiler is building the kernels.
// Under nvcc, cuRAND's device API is __device__-only, so functions that draw
// random numbers are device functions there; pure maths is callable anywhere.
// The host compiler sees plain C++ and runs the same code on the CPU backend.
#if defined(__CUDACC__)
#define BO_HD __host__ __device__ __forceinline__
#define BO_HD_INLINE __host__ __device__ __forceinline__
#define BO_RNG __device__ __forceinline__
#else
#define BO_HD inline
// A step a month loop takes every month, called from more than one stage of the path
// (CapacityWalk::change_at): GCC leaves it out of line in one of them, at a call and its
// null-pointer tests a month (+5% instructions per path); nvcc's __forceinline__ twin.
#define BO_HD_INLINE inline __attribute__((always_inline))
// GCC stops inlining the sampler into the path loop once it grows a little
// (a call per draw: +1% instructions per path); nvcc's __forceinline__ twin.
#define BO_RNG inline __attribute__((always_inline))
#endif

#include <cstdint>

namespace buildout {
// x within [lo, hi]; NaN gives lo. Written so that compilers emit maxsd, minsd.
BO_HD double clamp_to(double x, double lo, double hi) {
  const double y = x > lo ? x : lo;
  return y < hi ? y : hi;
}

// Index of the lowest set bit of a non-zero mask.
BO_HD int lowest_bit(std::uint64_t x) {
#if defined(__CUDA_ARCH__)
  return __ffsll(static_cast<long long>(x)) - 1;
#else
  return __builtin_ctzll(x);
#endif
}

// a + b * c with the product rounded before the sum, as the host computes it: nvcc would fuse
// them into one FMA, and a device's sums would then differ from the host's in the last bits.
BO_HD double add_product(double a, double b, double c) {
#if defined(__CUDA_ARCH__)
  return __dadd_rn(a, __dmul_rn(b, c));
#else
  return a + b * c;
#endif
}

// Relaxed atomic updates of counters shared by the threads of a reduction; the host's are for
// running the same reduction on CPU threads.
template <class Counter>  // unsigned int or unsigned long long
BO_HD void atomic_add(Counter* p, Counter x) {
#if defined(__CUDA_ARCH__)
  atomicAdd(p, x);
#else
  __atomic_fetch_add(p, x, __ATOMIC_RELAXED);
#endif
}
BO_HD void atomic_min(unsigned long long* p, unsigned long long x) {
#if defined(__CUDA_ARCH__)
  atomicMin(p, x);
#else
  unsigned long long seen = __atomic_load_n(p, __ATOMIC_RELAXED);
  while (x < seen && !__atomic_compare_exchange_n(p, &seen, x, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
  }
#endif
}
}  // namespace buildout
