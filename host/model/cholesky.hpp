#pragma once
// The Cholesky factor of a symmetric matrix: the factors' correlation, which
// the kernel turns into correlated normal scores.
#include <cstddef>
#include <vector>

namespace buildout {

// Lower-triangular L (row-major, n x n) with L L^T = a; false unless a is
// positive definite (a pivot at or below 1e-12 counts as not).
bool cholesky(const std::vector<double>& a, std::size_t n, std::vector<double>& l);

}  // namespace buildout
