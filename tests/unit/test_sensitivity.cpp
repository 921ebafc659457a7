// Sensitivity analysis: Jansen's estimators against the Ishigami function's
// published indices and a linear model's closed form; input groups, quantiles
// and the model variants the tornado and Sobol runs use.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "host/analysis/input_groups.hpp"
#include "host/analysis/sensitivity.hpp"
#include "host/analysis/sobol_indices.hpp"
#include "test_support.hpp"

using namespace buildout;
using namespace buildout::testing;

namespace {

// Saltelli's matrices for a function of k inputs uniform on [lo, hi]: f(A), f(B) and f(AB_i).
struct SaltelliRun {
  std::vector<double> a, b;
  std::vector<std::vector<double>> ab;
  SobolSample sample() const {
    SobolSample s{a.data(), b.data(), {}, a.size()};
    for (const auto& v : ab) s.ab.push_back(v.data());
    return s;
  }
};

template <class F>
SaltelliRun saltelli(int k, std::uint64_t n, double lo, double hi, F f, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto u = [&] { return lo + (hi - lo) * ((rng() >> 11) * 0x1.0p-53); };
  std::vector<std::vector<double>> xa(n, std::vector<double>(k)), xb = xa;
  for (std::uint64_t j = 0; j < n; ++j)
    for (int i = 0; i < k; ++i) {
      xa[j][i] = u();
      xb[j][i] = u();
    }
  SaltelliRun r;
  r.ab.assign(k, {});
  for (std::uint64_t j = 0; j < n; ++j) {
    r.a.push_back(f(xa[j]));
    r.b.push_back(f(xb[j]));
    for (int i = 0; i < k; ++i) {
      std::vector<double> x = xa[j];
      x[i] = xb[j][i];
      r.ab[i].push_back(f(x));
    }
  }
  return r;
}

double ishigami(const std::vector<double>& x) {
  constexpr double a = 7.0, b = 0.1;
  return std::sin(x[0]) + a * std::sin(x[1]) * std::sin(x[1]) + b * std::pow(x[2], 4) * std::sin(x[0]);
}

}  // namespace

// Ishigami (a = 7, b = 0.1), inputs uniform on [-pi, pi]: S1 = 0.3139, 0.4424, 0 and
// ST = 0.5576, 0.4424, 0.2437 (Saltelli et al. 2010; Sobol' and Levitan 1999), within the
// issue's 0.02 at N = 2^14, and each inside its bootstrap interval widened by that tolerance.
TEST(Sobol, IshigamiIndicesWithinTwoHundredthsAtTwoToTheFourteen) {
  const SaltelliRun run = saltelli(3, std::uint64_t{1} << 14, -M_PI, M_PI, ishigami, 20250101);
  const std::vector<SobolIndex> s = sobol_indices(run.sample(), kSobolResamples, 1);
  const double first[] = {0.3139, 0.4424, 0.0}, total[] = {0.5576, 0.4424, 0.2437};
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(s[i].first, first[i], 0.02) << "x" << i + 1;
    EXPECT_NEAR(s[i].total, total[i], 0.02) << "x" << i + 1;
    EXPECT_LT(s[i].first_lo, s[i].first);
    EXPECT_GT(s[i].first_hi, s[i].first);
    EXPECT_LT(s[i].total_lo, s[i].total);
    EXPECT_GT(s[i].total_hi, s[i].total);
  }
}

// Y = sum c_i X_i with independent uniform inputs: S_i = ST_i = c_i^2 / sum c^2 (here 1/14, 4/14, 9/14).
// The standard error of these estimators at N = 2^14 is below 0.01 (bootstrap: about 0.006), so 0.025.
TEST(Sobol, LinearModelMatchesTheClosedForm) {
  const SaltelliRun run = saltelli(3, std::uint64_t{1} << 14, 0.0, 1.0, [](const std::vector<double>& x) { return x[0] + 2 * x[1] + 3 * x[2]; }, 7);
  const std::vector<SobolIndex> s = sobol_indices(run.sample(), kSobolResamples, 2);
  for (int i = 0; i < 3; ++i) {
    const double expected = (i + 1.0) * (i + 1.0) / 14.0;
    EXPECT_NEAR(s[i].first, expected, 0.025) << "x" << i + 1;
    EXPECT_NEAR(s[i].total, expected, 0.025) << "x" << i + 1;
  }
}

TEST(Sobol, ConstantOutputHasZeroIndices) {
  const std::vector<double> c(100, 3.0);
  const SobolSample s{c.data(), c.data(), {c.data()}, c.size()};
  const SobolIndex i = sobol_indices(s, 10, 1)[0];
  EXPECT_EQ(i.first, 0.0);
  EXPECT_EQ(i.total, 0.0);
}

TEST(InputGroups, KeysMapToTheirGroups) {
  EXPECT_EQ(input_group_of("factors.materials"), "factors");
  EXPECT_EQ(input_group_of("market.price_p0_usd_per_hour"), "market.price_level");
  EXPECT_EQ(input_group_of("market.gpu_price_index"), "construction_costs");
  EXPECT_EQ(input_group_of("regions.texas.power_usd_per_mwh"), "power");
  EXPECT_EQ(input_group_of("players.meta.pue"), "power");
  EXPECT_EQ(input_group_of("players.meta.wacc"), "cost_of_capital");
  EXPECT_EQ(input_group_of("players.meta.monetisation_fail"), "monetisation");
  EXPECT_EQ(input_group_of("players.xai.frontier_success.release_3"), "frontier");
  EXPECT_EQ(input_group_of("players.xai.customers.backlog_usd_b"), "customers");
  EXPECT_EQ(input_group_of("players.microsoft.programme.guidance.2026-01.usd_b"), "programme");
  EXPECT_EQ(input_group_of("sites.fairwater.network.activities.shell.duration"), "schedule.fairwater");
  EXPECT_EQ(input_group_of("sites.rainier.phases.tranche_2.network.risks.flood.delay_months"), "schedule.rainier");
  EXPECT_EQ(input_group_of("sites.rainier.phases.tranche_2.network.risks.flood.cost_usd_m"), "construction_costs");
  EXPECT_EQ(input_group_of("sites.rainier.supply.allocation"), "schedule.rainier");
  EXPECT_EQ(input_group_of("sites.rainier.accelerator.price_usd"), "construction_costs");
  EXPECT_EQ(input_group_of("contracts.openai_abilene.price_usd_per_h100eq_hour"), "contracts");
  EXPECT_EQ(input_group_of("something.new"), "other");
}

// Every random input of every shipped config belongs to a named group, once.
TEST(InputGroups, ShippedConfigsHaveNoUngroupedInput) {
  for (const char* config : {"configs/base.toml", "configs/asof-2025-01.toml", "configs/stress-demand-bust.toml",
                             "configs/stress-transformer-shortage.toml"}) {
    const CompiledModel m = compile_model(load_config_file(source_path(config)), 1);
    std::vector<int> seen(m.draws.size(), 0);
    for (const InputGroup& g : input_groups(m)) {
      EXPECT_NE(g.name, "other") << config << ": " << (g.draws.empty() ? "" : m.draw_keys[g.draws[0]]);
      for (int d : g.draws) ++seen[d];
    }
    for (std::size_t d = 0; d < m.draws.size(); ++d) EXPECT_EQ(seen[d], m.draws[d].kind == DistKind::Fixed ? 0 : 1) << m.draw_keys[d];
  }
}

TEST(InputGroups, UnknownGroupIsAUserErrorListingTheKnownOnes) {
  const CompiledModel m = compile_model(load_config_file(source_path("configs/base.toml")), 1);
  EXPECT_EQ(select_input_groups(m, "market.price_level,factors").size(), 2u);
  try {
    select_input_groups(m, "market.price_level,weather");
    ADD_FAILURE() << "no error";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("\"weather\""), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("schedule.fairwater"), std::string::npos) << e.what();
  }
}

// Quantiles by value against closed forms: triangular, normal, lognormal, Bernoulli, discrete.
TEST(InputGroups, DrawQuantilesMatchClosedForms) {
  CompiledModel m;
  Dist tri;
  tri.type = Dist::Type::Triangular;
  tri.a = 0, tri.b = 0, tri.c = 10;  // mode at min: Q(u) = 10 (1 - sqrt(1 - u))
  append_draw(m, tri, "t");
  Dist normal;
  normal.type = Dist::Type::Normal;
  normal.a = 5, normal.b = 2;
  append_draw(m, normal, "n");
  Dist lognormal = normal;
  lognormal.type = Dist::Type::Lognormal;
  lognormal.a = 0, lognormal.b = 1;
  append_draw(m, lognormal, "l");
  Dist event;
  event.type = Dist::Type::Bernoulli;
  event.a = 0.3;
  append_draw(m, event, "e");
  Dist discrete;
  discrete.type = Dist::Type::Discrete;
  discrete.values = {5, 1, 3};
  discrete.probabilities = {0.2, 0.5, 0.3};  // by value: 1 (0.5), 3 (0.3), 5 (0.2)
  append_draw(m, discrete, "d");
  const double z90 = 1.2815515655446004;
  EXPECT_NEAR(draw_quantile(m, 0, 0.9), 10 * (1 - std::sqrt(0.1)), 1e-12);
  EXPECT_NEAR(draw_quantile(m, 1, 0.1), 5 - 2 * z90, 1e-9);
  EXPECT_NEAR(draw_quantile(m, 2, 0.9), std::exp(z90), 1e-9);
  EXPECT_EQ(draw_quantile(m, 3, 0.1), 0.0);  // occurs with p = 0.3: its P90 is 1, its P10 0
  EXPECT_EQ(draw_quantile(m, 3, 0.9), 1.0);
  EXPECT_EQ(draw_quantile(m, 4, 0.1), 1.0);
  EXPECT_EQ(draw_quantile(m, 4, 0.6), 3.0);
  EXPECT_EQ(draw_quantile(m, 4, 0.9), 5.0);
}

// A group held at a quantile fixes exactly its inputs; resampling a group moves only its streams.
TEST(InputGroups, VariantsChangeOnlyTheGroupsInputs) {
  const CompiledModel m = compile_model(load_config_file(source_path("configs/base.toml")), 1);
  const std::vector<InputGroup> groups = select_input_groups(m, "market.demand_growth,schedule.fairwater,factors");
  const CompiledModel held = with_group_at(m, groups[0], 0.9);
  const CompiledModel resampled = with_groups_resampled(m, {&groups[1], &groups[2]});
  std::vector<bool> in_held(m.draws.size()), in_resampled(m.draws.size());
  for (int d : groups[0].draws) in_held[d] = true;
  for (int d : groups[1].draws) in_resampled[d] = true;
  for (std::size_t d = 0; d < m.draws.size(); ++d) {
    EXPECT_EQ(held.draws[d].kind == DistKind::Fixed, in_held[d] || m.draws[d].kind == DistKind::Fixed) << m.draw_keys[d];
    EXPECT_EQ(resampled.draws[d].stream != m.draws[d].stream, static_cast<bool>(in_resampled[d])) << m.draw_keys[d];
  }
  for (int k = 0; k < m.n_factors; ++k) EXPECT_NE(resampled.factor_streams[k], m.factor_streams[k]);
  EXPECT_EQ(resampled.release_streams, m.release_streams);
}

// Saltelli's scheme through the engine on a model with a closed form: NPV of one site whose
// only random inputs are its cost per MW (uniform) and the price level (uniform), both
// entering NPV linearly and additively when nothing else moves: first-order indices equal
// the total ones, sum to 1, and split as the two inputs' variance contributions do. The
// split is estimated from the tornado's P10-P90 swings (linear: swing^2 is proportional to
// the variance contribution); the tolerance is the estimators' 4 SE at 2^13 paths, about 0.04.
TEST(Sensitivity, SobolThroughTheEngineOnAnAdditiveModel) {
  const std::string text = replaced(replaced(config_with_network(R"(
[templates.t.activities.build]
duration = 12
)"), "price_p0_usd_per_hour = 2.0", "price_p0_usd_per_hour = { dist = \"uniform\", min = 1.5, max = 2.5 }"),
                                    "cost_per_mw_usd_m = 10", "cost_per_mw_usd_m = { dist = \"uniform\", min = 5, max = 15 }");
  const CompiledModel m = compile_model(load_config_text(text, "<test>"), 11);
  // The frontier draw moves nothing here (every monetisation multiple is 1): left out.
  const std::vector<InputGroup> groups = select_input_groups(m, "market.price_level,construction_costs");
  const SimulateVariant run = [](const CompiledModel& v) {
    auto backend = make_cpu_backend(v, 2);
    return simulate(v, *backend, 8192, 4096, nullptr);
  };
  const TornadoResults t = tornado(m, groups, run);
  const std::vector<SobolRow> rows = sobol(m, groups, run);
  double swing2[2], total_swing2 = 0;
  for (int g = 0; g < 2; ++g) total_swing2 += swing2[g] = t.bars[g].npv_swing() * t.bars[g].npv_swing();
  for (const SobolRow& r : rows) {
    if (r.output != "npv_usd_b") continue;
    const int g = r.group == groups[0].name ? 0 : 1;
    EXPECT_NEAR(r.index.first, swing2[g] / total_swing2, 0.04) << r.group;
    EXPECT_NEAR(r.index.total, swing2[g] / total_swing2, 0.04) << r.group;
  }
}
