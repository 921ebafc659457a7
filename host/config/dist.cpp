#include <cmath>
#include <limits>

#include "kernels/limits.hpp"
#include "host/config/config.hpp"

namespace buildout {

const char* dist_type_name(Dist::Type t) {
  switch (t) {
    case Dist::Type::Fixed: return "fixed";
    case Dist::Type::Uniform: return "uniform";
    case Dist::Type::Triangular: return "triangular";
    case Dist::Type::Pert: return "pert";
    case Dist::Type::Normal: return "normal";
    case Dist::Type::Lognormal: return "lognormal";
    case Dist::Type::Beta: return "beta";
    case Dist::Type::Bernoulli: return "bernoulli";
    case Dist::Type::Discrete: return "discrete";
    case Dist::Type::Empirical: return "empirical";
  }
  return "?";
}

double Dist::support_lo() const {
  switch (type) {
    case Type::Fixed: case Type::Uniform: case Type::Triangular: case Type::Pert: return a;
    case Type::Normal: return a - kMaxNormalScore * b;
    case Type::Lognormal: return std::exp(a - kMaxNormalScore * b);
    case Type::Beta: return c;
    case Type::Bernoulli: return a >= 1.0 ? 1.0 : 0.0;
    case Type::Discrete: case Type::Empirical: {
      double lo = values.front();
      for (double v : values) lo = std::min(lo, v);
      return lo;
    }
  }
  return a;
}

double Dist::support_hi() const {
  switch (type) {
    case Type::Fixed: return a;
    case Type::Uniform: return b;
    case Type::Triangular: case Type::Pert: return c;
    case Type::Normal: return a + kMaxNormalScore * b;
    case Type::Lognormal: return std::exp(a + kMaxNormalScore * b);
    case Type::Beta: return d;
    case Type::Bernoulli: return a <= 0.0 ? 0.0 : 1.0;
    case Type::Discrete: case Type::Empirical: {
      double hi = values.front();
      for (double v : values) hi = std::max(hi, v);
      return hi;
    }
  }
  return a;
}

double Dist::mean() const {
  switch (type) {
    case Type::Fixed: return a;
    case Type::Uniform: return 0.5 * (a + b);
    case Type::Triangular: return (a + b + c) / 3.0;
    case Type::Pert: return (a + 4.0 * b + c) / 6.0;
    case Type::Normal: return a;
    case Type::Lognormal: return std::exp(a + 0.5 * b * b);
    case Type::Beta: return c + (d - c) * a / (a + b);
    case Type::Bernoulli: return a;
    case Type::Discrete: {
      double m = 0;
      for (size_t i = 0; i < values.size(); ++i) m += values[i] * probabilities[i];
      return m;
    }
    case Type::Empirical: {  // piecewise-linear quantile function: trapezoids
      double m = 0;
      for (size_t i = 0; i + 1 < values.size(); ++i)
        m += 0.5 * (values[i] + values[i + 1]) * (probabilities[i + 1] - probabilities[i]);
      return m;
    }
  }
  return a;
}

std::string YearMonth::str() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

}  // namespace buildout
