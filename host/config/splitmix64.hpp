#pragma once
// SplitMix64 (Steele, Lea and Flood 2014): its finaliser spreads a 64-bit key
// over all bits, and its generator steps a state by the golden ratio. The
// draw streams, their resampled twins, the Sobol' scrambles and the bootstrap
// all derive their numbers from it.
#include <cstdint>

namespace buildout {

constexpr std::uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ull;

inline std::uint64_t splitmix64_mix(std::uint64_t h) {
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

// The next number of the generator whose state is `state`.
inline std::uint64_t splitmix64_next(std::uint64_t& state) { return splitmix64_mix(state += kGoldenGamma); }

}  // namespace buildout
