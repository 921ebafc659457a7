// Draws: a plain number (fixed) or a distribution table, its factor loading,
// occurrence probabilities, and the checks of discrete and empirical tables.
#include <cmath>
#include <sstream>

#include "host/config/parse_context.hpp"

namespace buildout {

namespace {

constexpr double kZ90 = 1.2815515655446004;  // Phi^-1(0.9)

int factor_index(const ParseContext& ctx, const toml::node& at, const std::string& path, const std::string& name) {
  for (size_t i = 0; i < ctx.cfg.factor_names.size(); ++i)
    if (ctx.cfg.factor_names[i] == name) return static_cast<int>(i);
  std::string known;
  for (const auto& f : ctx.cfg.factor_names) known += (known.empty() ? "" : ", ") + f;
  ctx.fail(at, path, "undeclared factor \"" + name + "\" (declared in [factors] names: " + (known.empty() ? "none" : known) + ")");
}

void check_table_dist(const ParseContext& ctx, const Dist& d, TableReader& t, const std::string& path) {
  const auto& p = d.probabilities;
  if (d.values.size() != p.size() || d.values.size() < (d.type == Dist::Type::Discrete ? 1u : 2u))
    ctx.fail(t.table(), path, "values and probabilities must have the same length (at least " +
                                 std::string(d.type == Dist::Type::Discrete ? "1" : "2") + ")");
  if (d.type == Dist::Type::Discrete) {
    double sum = 0;
    for (double q : p) {
      if (q < 0 || q > 1) ctx.fail(t.require("probabilities"), path + ".probabilities", "probabilities must lie in [0, 1]");
      sum += q;
    }
    if (std::fabs(sum - 1.0) > 1e-9) ctx.fail(t.require("probabilities"), path + ".probabilities", "probabilities must sum to 1");
  } else {
    if (p.front() != 0.0 || p.back() != 1.0)
      ctx.fail(t.require("probabilities"), path + ".probabilities", "empirical cumulative probabilities must run from 0 to 1");
    for (size_t i = 1; i < p.size(); ++i) {
      if (!(p[i] > p[i - 1])) ctx.fail(t.require("probabilities"), path + ".probabilities", "must be strictly increasing");
      if (d.values[i] < d.values[i - 1]) ctx.fail(t.require("values"), path + ".values", "quantiles must be non-decreasing");
    }
  }
}

}  // namespace

// factor + loading keys shared by draws and occurrence probabilities.
void parse_loading(ParseContext& ctx, TableReader& t, Dist& d) {
  if (t.has("factor")) {
    d.factor = factor_index(ctx, t.require("factor"), t.key_path("factor"), t.string("factor"));
    d.loading = t.number_in("loading", -1.0, 1.0);
  } else if (t.has("loading")) {
    ctx.fail(t.require("loading"), t.key_path("loading"), "a loading needs a `factor` beside it");
  }
}

// A draw: a plain number (fixed) or a table { dist = "...", ... }.
Dist parse_dist(ParseContext& ctx, TableReader& parent, std::string_view key, double lo, double hi, const Dist* fallback) {
  if (!parent.has(key) && fallback) { parent.get(key); return *fallback; }
  const toml::node& n = parent.require(key);
  const std::string path = parent.key_path(key);
  Dist d;
  if (n.is_number()) {
    d = Dist::fixed(number_value(ctx.sources, n, path));
  } else if (const auto tbl = n.as_table()) {
    TableReader t(*tbl, path, ctx.sources);
    const std::string type = t.one_of("dist", {"fixed", "uniform", "triangular", "pert", "normal", "lognormal", "beta",
                                               "bernoulli", "discrete", "empirical"}, "");
    using T = Dist::Type;
    if (type == "fixed") { d.type = T::Fixed; d.a = t.number("value"); }
    else if (type == "uniform") {
      d.type = T::Uniform; d.a = t.number("min"); d.b = t.number("max");
      if (!(d.a < d.b)) ctx.fail(*tbl, path, "uniform needs min < max");
    } else if (type == "triangular" || type == "pert") {
      d.type = type == "pert" ? T::Pert : T::Triangular;
      d.a = t.number("min"); d.b = t.number("mode"); d.c = t.number("max");
      if (!(d.a <= d.b && d.b <= d.c && d.a < d.c)) ctx.fail(*tbl, path, type + " needs min <= mode <= max and min < max");
    } else if (type == "normal") {
      d.type = T::Normal; d.a = t.number("mean"); d.b = t.number("sd");
      if (!(d.b > 0)) ctx.fail(t.require("sd"), path + ".sd", "expected sd > 0");
    } else if (type == "lognormal") {
      d.type = T::Lognormal;
      if (t.has("median") || t.has("p90")) {
        const double med = t.number("median"), p90 = t.number("p90");
        if (!(med > 0 && p90 > med)) ctx.fail(*tbl, path, "lognormal needs 0 < median < p90");
        d.a = std::log(med); d.b = (std::log(p90) - d.a) / kZ90;
      } else {
        d.a = t.number("mu"); d.b = t.number("sigma");
        if (!(d.b > 0)) ctx.fail(t.require("sigma"), path + ".sigma", "expected sigma > 0");
      }
    } else if (type == "beta") {
      d.type = T::Beta; d.a = t.number("alpha"); d.b = t.number("beta");
      d.c = t.number("min", 0.0); d.d = t.number("max", 1.0);
      if (!(d.a > 0 && d.b > 0)) ctx.fail(*tbl, path, "beta needs alpha > 0 and beta > 0");
      if (!(d.c < d.d)) ctx.fail(*tbl, path, "beta needs min < max");
    } else if (type == "bernoulli") {
      d.type = T::Bernoulli; d.a = t.number_in("p", 0.0, 1.0);
    } else {
      d.type = type == "discrete" ? T::Discrete : T::Empirical;
      d.values = t.numbers("values");
      d.probabilities = t.numbers("probabilities");
      check_table_dist(ctx, d, t, path);
    }
    parse_loading(ctx, t, d);
    t.finish();
  } else {
    ctx.fail(n, path, "expected a number or a distribution table { dist = \"...\" }, got " + type_name(n));
  }
  if (d.support_lo() < lo || d.support_hi() > hi) {
    std::ostringstream os;
    os << "the " << dist_type_name(d.type) << " draw ranges over [" << d.support_lo() << ", " << d.support_hi()
       << "], outside the allowed [" << lo << ", " << hi << "]";
    ctx.fail(n, path, os.str());
  }
  d.key = path;
  return d;
}

// { probability, factor, loading } -> a Bernoulli draw.
Dist parse_occurrence(ParseContext& ctx, TableReader& t) {
  Dist d;
  d.type = Dist::Type::Bernoulli;
  d.a = t.number_in("probability", 0.0, 1.0);
  parse_loading(ctx, t, d);
  return d;
}

}  // namespace buildout
