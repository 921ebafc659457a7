#pragma once
// FNV-1a, 64 bits: the config's hash in the reports, and the seed of each
// draw's stream key (host/model/compile_model.cpp).
#include <cstdint>
#include <string>

namespace buildout {

inline std::uint64_t fnv1a64(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace buildout
