#pragma once
// The last guard against non-finite results. Validation bounds every input so
// that no path can produce NaN or inf (value_bounds.hpp); should one still do
// so, the run stops with an internal error (exit 1) before anything is written.
#include <cstdint>
#include <stdexcept>

#include "../model/compiled_model.hpp"
#include "path_buffers.hpp"

namespace buildout {

struct NonFiniteResult : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Checks paths [first, first + n) of the batch in buf; throws NonFiniteResult
// naming the lowest such path (its global index), the seed, and the result.
void require_finite_results(const CompiledModel& m, const PathBuffers& buf, std::uint64_t first, std::uint64_t n);

}  // namespace buildout
