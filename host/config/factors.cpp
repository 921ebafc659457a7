// [factors]: the common factors draws load on, their correlation and its
// Cholesky factor.
#include <cmath>

#include "host/config/parse_context.hpp"
#include "host/model/cholesky.hpp"
#include "kernels/limits.hpp"

namespace buildout {

void parse_factors(ParseContext& ctx, const toml::table* tbl) {
  if (!tbl) return;
  TableReader r(*tbl, "factors", ctx.sources);
  ctx.cfg.factor_names = r.strings("names");
  const size_t n = ctx.cfg.factor_names.size();
  if (n > kMaxFactors) ctx.fail(r.require("names"), "factors.names", "at most kMaxFactors = " + std::to_string(kMaxFactors) + " factors");
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < i; ++j)
      if (ctx.cfg.factor_names[i] == ctx.cfg.factor_names[j]) ctx.fail(r.require("names"), "factors.names", "duplicate factor \"" + ctx.cfg.factor_names[i] + "\"");
  ctx.cfg.correlation.assign(n * n, 0.0);
  for (size_t i = 0; i < n; ++i) ctx.cfg.correlation[i * n + i] = 1.0;
  if (const toml::node* c = r.get("correlation")) {
    const auto rows = c->as_array();
    if (!rows || rows->size() != n) ctx.fail(*c, "factors.correlation", "expected " + std::to_string(n) + " rows, one per factor");
    for (size_t i = 0; i < n; ++i) {
      const auto row = (*rows)[i].as_array();
      if (!row || row->size() != n) ctx.fail((*rows)[i], "factors.correlation", "row " + std::to_string(i + 1) + ": expected " + std::to_string(n) + " numbers");
      for (size_t j = 0; j < n; ++j) {
        const auto& e = (*row)[j];
        ctx.cfg.correlation[i * n + j] = number_value(ctx.sources, e, "factors.correlation");
      }
    }
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j) {
        const double v = ctx.cfg.correlation[i * n + j];
        const std::string cell = "[" + std::to_string(i + 1) + "][" + std::to_string(j + 1) + "]";
        if (i == j && v != 1.0) ctx.fail(*c, "factors.correlation", "diagonal entry " + cell + " must be 1");
        if (std::fabs(v - ctx.cfg.correlation[j * n + i]) > 1e-12) ctx.fail(*c, "factors.correlation", "not symmetric at " + cell);
        if (v < -1 || v > 1) ctx.fail(*c, "factors.correlation", "entry " + cell + " outside [-1, 1]");
      }
  }
  if (!cholesky(ctx.cfg.correlation, n, ctx.cfg.factor_cholesky))  // the identity always factors
    ctx.fail(r.require("correlation"), "factors.correlation",
            "matrix is not positive definite (Cholesky fails); check for inconsistent correlations");
  r.finish();
}

}  // namespace buildout
