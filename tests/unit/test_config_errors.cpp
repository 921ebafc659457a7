// Every bad-input case: a ConfigError whose message names the file, the line,
// the key and what was expected.
#include <gtest/gtest.h>

#include "host/config/config_error.hpp"
#include "test_support.hpp"

using namespace buildout;
using namespace buildout::testing;

namespace {

const std::string kNetwork = R"(
[templates.t.drivers]
crew = { dist = "triangular", min = 0.9, mode = 1.0, max = 1.3 }
[templates.t.activities.a]
duration = { dist = "triangular", min = 2, mode = 3, max = 6 }
[templates.t.activities.b]
duration = { dist = "pert", min = 4, mode = 6, max = 9 }
predecessors = ["a"]
drivers = ["crew"]
[templates.t.risks.flood]
probability = 0.1
hits = ["b"]
delay_months = 2
)";
const std::string kFactors = "[factors]\nnames = [\"x\", \"y\"]\ncorrelation = [[1.0, 0.3], [0.3, 1.0]]\n";

std::string valid() { return config_with_network(kNetwork, kFactors); }

int line_of(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

// Loads `text` and expects an error at the line of `at_line_of` naming each of `parts`.
void expect_error(const std::string& text, const std::string& at_line_of, std::initializer_list<std::string> parts) {
  try {
    load_config_text(text, "<test>");
    FAIL() << "no error for a config with " << at_line_of;
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("<test>:" + std::to_string(line_of(text, at_line_of)) + ":"), std::string::npos) << msg;
    for (const auto& p : parts) EXPECT_NE(msg.find(p), std::string::npos) << "missing \"" << p << "\" in: " << msg;
  }
}

}  // namespace

TEST(ConfigErrors, ValidConfigLoads) { EXPECT_NO_THROW(load_config_text(valid(), "<test>")); }

TEST(ConfigErrors, TomlSyntaxError) {
  const std::string bad = replaced(valid(), "[regions.r]", "[regions.r");
  expect_error(bad, "[regions.r", {"TOML syntax error"});
}

TEST(ConfigErrors, UnknownKeyIsATypo) {
  const std::string bad = replaced(valid(), "it_mw = 100", "it_mw = 100\nfacility_lief_years = 20");
  expect_error(bad, "facility_lief_years", {"sites.s.facility_lief_years", "unknown key"});
}

TEST(ConfigErrors, MisspelledRequiredKeySuggestsTheTypo) {
  const std::string bad = replaced(valid(), "utilisation = 1.0", "utilization = 1.0");
  expect_error(bad, "utilization", {"players.p.utilisation", "missing required key", "utilization"});
}

TEST(ConfigErrors, MissingRequiredKey) {
  const std::string bad = replaced(valid(), "rent_share = 0.5\n", "");
  expect_error(bad, "[players.p]", {"players.p.rent_share", "missing required key"});
}

TEST(ConfigErrors, WrongType) {
  const std::string bad = replaced(valid(), "it_mw = 100", "it_mw = \"100\"");
  expect_error(bad, "it_mw", {"sites.s.it_mw", "expected a number, got a string"});
}

TEST(ConfigErrors, ProbabilityOutsideZeroOne) {
  const std::string bad = replaced(valid(), "probability = 0.1", "probability = 1.5");
  expect_error(bad, "probability = 1.5", {"templates.t.risks.flood.probability", "[0, 1]", "in the network of sites.s"});
}

TEST(ConfigErrors, MinAboveMode) {
  const std::string bad = replaced(valid(), "min = 2, mode = 3", "min = 4, mode = 3");
  expect_error(bad, "min = 4, mode = 3", {"activities.a.duration", "min <= mode <= max"});
}

TEST(ConfigErrors, NegativeDuration) {
  const std::string bad = replaced(valid(), "duration = { dist = \"triangular\", min = 2, mode = 3, max = 6 }", "duration = -3");
  expect_error(bad, "duration = -3", {"activities.a.duration", "outside the allowed [0, 1200]"});
}

TEST(ConfigErrors, NormalDurationCanGoNegative) {
  const std::string bad = replaced(valid(), "duration = { dist = \"triangular\", min = 2, mode = 3, max = 6 }",
                                   "duration = { dist = \"normal\", mean = 3, sd = 1 }");
  expect_error(bad, "dist = \"normal\"", {"activities.a.duration", "outside the allowed"});
}

TEST(ConfigErrors, UnknownPredecessor) {
  const std::string bad = replaced(valid(), "predecessors = [\"a\"]", "predecessors = [\"aa\"]");
  expect_error(bad, "[\"aa\"]", {"activities.b.predecessors", "unknown predecessor \"aa\""});
}

TEST(ConfigErrors, CycleInTheNetwork) {
  const std::string bad = replaced(valid(), "duration = { dist = \"triangular\", min = 2, mode = 3, max = 6 }",
                                   "duration = { dist = \"triangular\", min = 2, mode = 3, max = 6 }\npredecessors = [\"b\"]");
  try {
    load_config_text(bad, "<test>");
    FAIL() << "cycle not detected";
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("cycle in the schedule network"), std::string::npos) << msg;
    EXPECT_TRUE(msg.find("a -> b -> a") != std::string::npos || msg.find("b -> a -> b") != std::string::npos) << msg;
    EXPECT_NE(msg.find("<test>:"), std::string::npos) << msg;
  }
}

TEST(ConfigErrors, UndeclaredFactor) {
  const std::string bad = replaced(valid(), "max = 1.3 }", "max = 1.3, factor = \"weather\", loading = 0.5 }");
  expect_error(bad, "\"weather\"", {"factor", "undeclared factor \"weather\"", "x, y"});
}

TEST(ConfigErrors, LoadingWithoutFactor) {
  const std::string bad = replaced(valid(), "max = 1.3 }", "max = 1.3, loading = 0.5 }");
  expect_error(bad, "loading = 0.5", {"needs a `factor`"});
}

TEST(ConfigErrors, CorrelationNotSymmetric) {
  const std::string bad = replaced(valid(), "[[1.0, 0.3], [0.3, 1.0]]", "[[1.0, 0.3], [0.2, 1.0]]");
  expect_error(bad, "correlation", {"factors.correlation", "not symmetric"});
}

TEST(ConfigErrors, CorrelationNotPositiveDefinite) {
  std::string bad = replaced(valid(), "names = [\"x\", \"y\"]", "names = [\"x\", \"y\", \"z\"]");
  bad = replaced(bad, "[[1.0, 0.3], [0.3, 1.0]]", "[[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]]");
  expect_error(bad, "correlation", {"factors.correlation", "not positive definite"});
}

TEST(ConfigErrors, MissingRequiredDate) {
  const std::string bad = replaced(valid(), "construction_start = \"2025-01\"\n", "");
  expect_error(bad, "[sites.s]", {"sites.s.construction_start", "missing required key"});
}

TEST(ConfigErrors, DateThatDoesNotParse) {
  const std::string bad = replaced(valid(), "planned_ready = \"2026-01\"", "planned_ready = \"2026-13\"");
  expect_error(bad, "2026-13", {"sites.s.planned_ready", "YYYY-MM"});
}

TEST(ConfigErrors, UnknownTemplateAndPlayer) {
  expect_error(replaced(valid(), "template = \"t\"", "template = \"tt\""), "\"tt\"", {"sites.s.template", "unknown template"});
  expect_error(replaced(valid(), "player = \"p\"", "player = \"q\""), "\"q\"", {"sites.s.player", "unknown player"});
}

TEST(ConfigErrors, MissingFile) {
  try {
    load_config_file("/nonexistent/buildout.toml");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/buildout.toml: cannot read config file: No such file or directory"), std::string::npos) << e.what();
  }
}

// NaN and inf in any form, and magnitudes whose products overflow.
TEST(ConfigErrors, NanDurationAsAPlainNumber) {
  const std::string bad = replaced(valid(), "duration = { dist = \"triangular\", min = 2, mode = 3, max = 6 }", "duration = nan");
  expect_error(bad, "duration = nan", {"templates.t.activities.a.duration", "expected a finite number, got nan"});
}

TEST(ConfigErrors, InfiniteDuration) {
  const std::string bad = replaced(valid(), "duration = { dist = \"triangular\", min = 2, mode = 3, max = 6 }", "duration = inf");
  expect_error(bad, "duration = inf", {"templates.t.activities.a.duration", "expected a finite number, got inf"});
}

TEST(ConfigErrors, NanInsideADistributionTable) {
  const std::string bad = replaced(valid(), "min = 4, mode = 6, max = 9", "min = 4, mode = nan, max = 9");
  expect_error(bad, "mode = nan", {"templates.t.activities.b.duration.mode", "expected a finite number, got nan"});
}

TEST(ConfigErrors, NanCorrelationEntry) {
  const std::string bad = replaced(valid(), "[[1.0, 0.3], [0.3, 1.0]]", "[[1.0, nan], [nan, 1.0]]");
  expect_error(bad, "correlation", {"factors.correlation[1][2]", "expected a finite number, got nan"});
}

TEST(ConfigErrors, NanWaccAndCostPerMw) {
  expect_error(replaced(valid(), "wacc = 0.10", "wacc = nan"), "wacc = nan", {"players.p.wacc", "expected a finite number"});
  expect_error(replaced(valid(), "cost_per_mw_usd_m = 10", "cost_per_mw_usd_m = -inf"), "cost_per_mw_usd_m = -inf",
               {"sites.s.cost_per_mw_usd_m", "expected a finite number, got -inf"});
}

TEST(ConfigErrors, NanInATemplateValueThatTheSiteOverrides) {
  // The site never reads the template's duration of a, but the NaN is still a typo.
  std::string bad = replaced(valid(), "duration = { dist = \"triangular\", min = 2, mode = 3, max = 6 }", "duration = nan");
  bad += "\n[sites.s.network.activities.a]\nduration = 3\n";
  expect_error(bad, "duration = nan", {"templates.t.activities.a.duration", "expected a finite number"});
}

TEST(ConfigErrors, MagnitudesBeyondTheirBoundsNameTheKey) {
  expect_error(replaced(valid(), "accelerator_count = 10000", "accelerator_count = 1e308"), "accelerator_count = 1e308",
               {"sites.s.accelerator_count", "[0, 1e+08]", "got 1e+308"});
  expect_error(replaced(valid(), "it_mw = 100", "it_mw = 1e6"), "it_mw = 1e6", {"sites.s.it_mw", "[1e-09, 100000]"});
  expect_error(replaced(valid(), "price_usd = 30000", "price_usd = 1e300"), "price_usd = 1e300",
               {"accelerators.h.price_usd", "outside the allowed [0, 1e+08]"});
  expect_error(replaced(valid(), "predecessors = [\"a\"]", "predecessors = [{ id = \"a\", lag = 1e300 }]"), "lag = 1e300",
               {"activities.b.predecessors.lag", "[-1200, 1200]"});
}

TEST(ConfigErrors, NormalDrawsAreHeldToTheirKeysBoundsAtEightSigma) {
  // mean +- 8 sd of the growth rate must lie within +-10 per year.
  const std::string ok = replaced(valid(), "demand_growth_per_year = 0.0", "demand_growth_per_year = { dist = \"normal\", mean = 0.2, sd = 1.2 }");
  EXPECT_NO_THROW(load_config_text(ok, "<test>"));
  const std::string bad = replaced(valid(), "demand_growth_per_year = 0.0", "demand_growth_per_year = { dist = \"normal\", mean = 0.2, sd = 1.3 }");
  expect_error(bad, "demand_growth_per_year", {"market.demand_growth_per_year", "outside the allowed [-10, 10]"});
}

TEST(ConfigErrors, PriceThatCouldOverflowIsRefused) {
  // e g - d up to 10 x 5 + 10 = 60 per year over 8 years: e^480 can never be a price.
  std::string bad = replaced(valid(), "elasticity = 0.0", "elasticity = 10");
  bad = replaced(bad, "demand_growth_per_year = 0.0", "demand_growth_per_year = 5");
  expect_error(bad, "elasticity = 10", {"market.elasticity", "price can rise up to 1e", "keeps cash flows finite"});
  // The same trend over 1 year, and a base config's growth over 8, are fine.
  EXPECT_NO_THROW(load_config_text(replaced(bad, "horizon_months = 96", "horizon_months = 2"), "<test>"));
  EXPECT_NO_THROW(load_config_text(replaced(replaced(valid(), "elasticity = 0.0", "elasticity = 0.8"), "demand_growth_per_year = 0.0",
                                            "demand_growth_per_year = 1.45"), "<test>"));
}

TEST(ConfigErrors, ReportWindowsAndMonths) {
  expect_error("[report]\ncapex_windows = [[\"2026-12\", \"2025-01\"]]\n" + valid(), "capex_windows",
               {"report.capex_windows", "last month is before its first"});
  expect_error("[report]\ncapex_windows = [[\"2025-01\"]]\n" + valid(), "capex_windows", {"report.capex_windows", "first and last month"});
  expect_error("[report]\ncapex_windows = [[\"2025-01\", \"2025-12\"], [\"2025-01\", \"2025-12\"]]\n" + valid(), "capex_windows",
               {"report.capex_windows", "duplicate window"});
  expect_error("[report]\nonline_months = [\"2026-1\"]\n" + valid(), "online_months", {"report.online_months", "YYYY-MM"});
  expect_error("[report]\nonline_months = [\"2025-01\", \"2025-02\", \"2025-03\", \"2025-04\", \"2025-05\"]\n" + valid(), "online_months",
               {"report.online_months", "kMaxOnlineReports = 4"});
}
