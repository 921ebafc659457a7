// The kernels index memory only with values they have bounded, whatever the
// doubles they are handed (NaN, inf, huge); and the engine's last guard stops
// a run whose results are not finite, naming the path and the seed. The fuzz
// reproducers through the binary are in integration/test_commands.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "host/engine/finite_results.hpp"
#include "kernels/cashflow.hpp"
#include "kernels/draws.hpp"
#include "kernels/schedule.hpp"
#include "test_support.hpp"

using namespace buildout;
using namespace buildout::testing;

namespace {
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
const double kHostile[] = {kNan, -kNan, kInf, -kInf, 1e308, -1e308, 3e9, -3e9, 0.0, -0.5, 7.5};
}  // namespace

TEST(BoundedKernel, MonthIndicesStayInRangeForAnyDouble) {
  for (const double x : kHostile) {
    const int i = bounded_index(x, -1, 95);
    EXPECT_GE(i, -1) << x;
    EXPECT_LE(i, 95) << x;
    const int m = first_month_from(x, 12, 96);
    EXPECT_GE(m, 12) << x;
    EXPECT_LE(m, 96) << x;
  }
  EXPECT_EQ(bounded_index(kNan, 0, 10), 0);
  EXPECT_EQ(bounded_index(7.5, 0, 10), 7);
}

TEST(BoundedKernel, SpendingWithHostileDatesWritesOnlyInsideTheHorizon) {
  constexpr int H = 24, kGuard = 8;
  for (const double ready : kHostile)
    for (const double begin : kHostile) {
      SiteState s{};
      s.ready = ready;
      s.late_at = ready + 3.0;
      s.allocation = 0.5;
      s.facility_begin = begin;
      s.facility_usd = 1e9;
      s.accelerator_usd = 1e9;
      std::vector<double> spend(H + 2 * kGuard, 0.0);
      add_site_spend(s, H, spend.data() + kGuard);
      for (int g = 0; g < kGuard; ++g) {
        EXPECT_EQ(spend[g], 0.0) << "wrote before month 0 with ready " << ready << ", begin " << begin;
        EXPECT_EQ(spend[kGuard + H + g], 0.0) << "wrote past the horizon with ready " << ready << ", begin " << begin;
      }
    }
}

TEST(BoundedKernel, QuantileTablesReadOnlyTheirEndSegmentsOutsideZeroOne) {
  // Outside [0, 1] (never reached by a draw) the end segments extrapolate: the
  // segment index was bounded, no knot past either end was read.
  const double table[] = {1.0, 2.0, 4.0};
  EXPECT_EQ(lerp_table(table, 3, 0.0), 1.0);
  EXPECT_EQ(lerp_table(table, 3, 0.75), 3.0);
  EXPECT_EQ(lerp_table(table, 3, 1.0), 4.0);
  EXPECT_EQ(lerp_table(table, 3, 2.0), 8.0);     // 2 + (4 - 2) x (4 - 1)
  EXPECT_EQ(lerp_table(table, 3, -1.0), -1.0);   // 1 + (2 - 1) x (-2)
  EXPECT_TRUE(std::isnan(lerp_table(table, 3, kNan)));
  EXPECT_EQ(lerp_table(table, 3, 3e9), 2.0 + 2.0 * (6e9 - 1.0));
}

TEST(BoundedKernel, ReadyDatesAreCappedAtTheReportedMaximum) {
  // One activity of 1,000 months x a driver of 1,000: far past any horizon.
  std::string cfg = config_with_network(
      "[templates.t.drivers]\nslow = 1000\n[templates.t.activities.a]\nduration = 1000\ndrivers = [\"slow\"]\n");
  const EngineRun run = run_text(cfg, 8);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(run.paths.ready(0)[i], static_cast<float>(kMaxReadyMonth));
}

TEST(FiniteResults, FinitePathsPass) {
  const EngineRun run = run_text(config_with_network("[templates.t.activities.a]\nduration = 3\n"), 16);
  PathBuffers buf;
  buf.resize(run.model, 16);
  EXPECT_NO_THROW(require_finite_results(run.model, buf, 0, 16));
}

TEST(FiniteResults, TheLowestBadPathIsNamedWithTheSeed) {
  const EngineRun run = run_text(config_with_network("[templates.t.activities.a]\nduration = 3\n"), 16, 41);
  PathBuffers buf;
  buf.resize(run.model, 16);
  buf.site_ready_month[3] = std::numeric_limits<float>::infinity();              // site s, path 3
  buf.player_metrics[kIrr * buf.stride + 9] = std::numeric_limits<float>::quiet_NaN();  // player p, path 9
  try {
    require_finite_results(run.model, buf, 1000, 16);
    FAIL() << "no error for a NaN result";
  } catch (const NonFiniteResult& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("path 1003 (seed 41)"), std::string::npos) << msg;
    EXPECT_NE(msg.find("ready month for site s"), std::string::npos) << msg;
    EXPECT_NE(msg.find("nothing was written"), std::string::npos) << msg;
  }
  buf.site_ready_month[3] = 0.0f;
  try {
    require_finite_results(run.model, buf, 1000, 16);
    FAIL() << "no error for a NaN result";
  } catch (const NonFiniteResult& e) {
    EXPECT_NE(std::string(e.what()).find("path 1009 (seed 41) gave a non-finite irr for player p"), std::string::npos) << e.what();
  }
}

