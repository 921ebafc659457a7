#pragma once
// The last guard against non-finite results. Validation bounds every input so
// that no path can produce NaN or inf (value_bounds.hpp); should one still do
// so, the run stops with an internal error (exit 1) before anything is written.
#include <cstdint>
#include <stdexcept>

#include "host/model/compiled_model.hpp"
#include "path_buffers.hpp"

namespace buildout {

struct NonFiniteResult : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A batch's first non-finite result: its path within the batch (n when there is none) and
// its column (the player metric columns, then the units' ready months).
struct NonFinite {
  std::uint64_t path;
  int column = -1;
  float value = 0;
  // The lower path of the two, the lower column on a tie: the same whatever the column order.
  NonFinite first_of(const NonFinite& other) const {
    return other.path < path || (other.path == path && other.column >= 0 && other.column < column) ? other : *this;
  }
};

// The first non-finite value of paths [0, n) of columns [begin, end) of buf (in NonFinite's numbering).
NonFinite find_non_finite(const CompiledModel& m, const PathBuffers& buf, std::uint64_t n, int begin, int end);

// Throws NonFiniteResult naming the path (its global index: first + bad.path), the seed and
// the result, when bad holds one.
void require_finite(const CompiledModel& m, std::uint64_t first, const NonFinite& bad);

// Checks paths [first, first + n) of the batch in buf.
void require_finite_results(const CompiledModel& m, const PathBuffers& buf, std::uint64_t first, std::uint64_t n);

}  // namespace buildout
