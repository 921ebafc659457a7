// The data date and [actuals] (docs/MODEL.md 1), and phased sites (docs/MODEL.md 9),
// through the engine against closed forms: work not reported done finishes
// after the data date; reported phases and releases are taken as they were;
// phases share their site's drivers and follow one another.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "host/config/config_error.hpp"
#include "host/metrics/aggregate.hpp"
#include "test_support.hpp"

using namespace buildout;
using namespace buildout::testing;

namespace {

constexpr std::uint64_t kPaths = 100000;

std::string with_data_date(std::string cfg, const std::string& date) {
  return replaced(cfg, "horizon_months = 96", "data_date = \"" + date + "\"\nhorizon_months = 96");
}

const std::string kTwoActivities = R"(
[templates.t.activities.build]
duration = { dist = "uniform", min = 2, max = 10 }
[templates.t.activities.commission]
duration = 1
predecessors = ["build"]
)";

// A site with two phases that share the template's `crew` driver.
std::string phased_config(const std::string& after = "") {
  std::string cfg = config_with_network(R"(
[templates.t.drivers]
crew = { dist = "uniform", min = 0.8, max = 1.6 }
[templates.t.activities.build]
duration = 10
drivers = ["crew"]
)");
  cfg = replaced(cfg, "it_mw = 100\n", "");
  cfg = replaced(cfg, "accelerator_count = 10000\n", "");
  cfg = replaced(cfg, "planned_ready = \"2026-01\"\n", "");
  return cfg + R"(
[sites.s.phases.a]
it_mw = 40
accelerator_count = 4000
planned_ready = "2025-11"
[sites.s.phases.b]
it_mw = 60
accelerator_count = 6000
planned_ready = "2026-06"
)" + after;
}

}  // namespace

TEST(DataDate, WorkNotReportedDoneFinishesAfterTheDataDate) {
  // Build ~ U(2, 10) then 1 month of commissioning, from month 0; data date
  // month 6. Without a report the site is not ready by then: R = B + 1 when
  // that is at least 6, else 6 + 1 (commissioning runs from the data date).
  const auto run = run_text(with_data_date(config_with_network(kTwoActivities), "2025-07"), kPaths);
  const float* ready = run.paths.ready(0);
  std::uint64_t at_data_date = 0;
  for (std::uint64_t i = 0; i < kPaths; ++i) {
    ASSERT_GE(ready[i], 6.0f);
    at_data_date += ready[i] == 7.0f;
  }
  // P(B + 1 < 6) = P(B < 5) = 3/8 of paths land exactly at 6 + 1.
  EXPECT_NEAR(static_cast<double>(at_data_date) / kPaths, 3.0 / 8, four_se(3.0 / 8, kPaths));
  // Those paths' critical path is the data date's: commissioning alone.
  const Results res = aggregate(run.model, run.paths, 2);
  EXPECT_NEAR(res.sites[0].criticality[0].index, 5.0 / 8, four_se(5.0 / 8, kPaths));  // build
  EXPECT_DOUBLE_EQ(res.sites[0].criticality[1].index, 1.0);                          // commission
}

TEST(DataDate, AReportedPhaseIsOnlineFromItsDate) {
  std::string cfg = with_data_date(config_with_network(kTwoActivities, R"(
[actuals]
phases_online = [{ site = "s", date = "2025-05", accelerator_count = 8000 }]
)"),
                                   "2025-07");
  cfg = replaced(cfg, "ramp_months = 0", "ramp_months = 3");
  cfg = replaced(cfg, "allocation = 1.0", "allocation = 0.5");
  const auto run = run_text(cfg + "\n[report]\nonline_months = [\"2025-05\", \"2025-06\"]\n", 1000);
  const int online_2025_05 = kFixedPlayerMetrics + 1, online_2025_06 = kFixedPlayerMetrics + 2;
  for (std::uint64_t i = 0; i < 1000; ++i) {
    ASSERT_EQ(run.paths.ready(0)[i], 4.0f);  // month 4 = 2025-05
    ASSERT_EQ(run.paths.metric(online_2025_05, 0)[i], 8000.0f);  // all of the reported count, no ramp, none late
    ASSERT_EQ(run.paths.metric(online_2025_06, 0)[i], 8000.0f);
  }
  const Results res = aggregate(run.model, run.paths, 2);
  EXPECT_EQ(res.sites[0].criticality[0].index, 0.0);  // nothing is critical to a date that is known
}

TEST(DataDate, ReportedReleasesAreTakenAsTheyWere) {
  // Threshold 0: training would start at once and last 6 months (month 7); a
  // data date of month 9 moves an unreported release to 9 + 6; a reported one
  // is taken with its outcome.
  std::string cfg = with_data_date(config_with_network(kTwoActivities), "2025-10");
  cfg = replaced(cfg, "frontier_threshold_h100eq = 1e12", "frontier_threshold_h100eq = 0");
  const auto sampled = run_text(cfg, 1000);
  const auto reported = run_text(cfg + R"(
[actuals]
releases = [{ player = "p", date = "2025-03", model = "M1", unlocked = false },
            { player = "p", date = "2025-08", model = "M2", unlocked = true }]
)",
                                 1000);
  for (std::uint64_t i = 0; i < 1000; ++i) {
    ASSERT_EQ(sampled.paths.metric(kFirstReleaseMonth, 0)[i], 15.0f);
    ASSERT_EQ(reported.paths.metric(kFirstReleaseMonth, 0)[i], 7.0f);  // the first that unlocked revenue: 2025-08
    ASSERT_TRUE((reported.paths.flags(0)[i] >> kProbFrontierSuccess) & 1u);
  }
}

TEST(Phases, ShareTheirSitesDriversAndFollowOneAnother) {
  // Both phases: 10 months x crew from 2025-01; b follows a's ready date less 4 months.
  const auto run = run_text(phased_config("after = { phase = \"a\", lag_months = -4 }\n"), kPaths);
  ASSERT_EQ(run.model.site_ids, (std::vector<std::string>{"s/a", "s/b"}));
  const float *a = run.paths.ready(0), *b = run.paths.ready(1);
  for (std::uint64_t i = 0; i < kPaths; ++i) {
    const double crew = a[i] / 10.0;  // one crew draw for both phases
    ASSERT_NEAR(b[i], std::max(0.0, a[i] - 4.0) + 10.0 * crew, 1e-4);
  }
  // sites.csv: each phase, the first phase online (a on every path) and the full site (b).
  const Results res = aggregate(run.model, run.paths, 2);
  std::vector<std::string> ids;
  for (const auto& s : res.sites) ids.push_back(s.id);
  ASSERT_EQ(ids, (std::vector<std::string>{"s/a", "s/b", "s/first", "s"}));
  EXPECT_EQ(res.sites[2].ready_month.percentile(50), res.sites[0].ready_month.percentile(50));
  EXPECT_EQ(res.sites[3].ready_month.percentile(50), res.sites[1].ready_month.percentile(50));
  EXPECT_EQ(res.sites[2].planned_ready_month, 10.0);  // 2025-11
  EXPECT_EQ(res.sites[3].planned_ready_month, 17.0);  // 2026-06
  EXPECT_TRUE(res.sites[3].criticality.empty());
  // Capacity: each phase's own accelerators. Paid per phase: 4000 + 6000 at $30k within the horizon.
  for (std::uint64_t i = 0; i < 100; ++i) EXPECT_NEAR(run.paths.metric(kCapexUsdB, 0)[i], (100 * 10e6 + 10000 * 30000.0) * 1e-9, 1e-6);
}

TEST(Phases, BadPhasesAreRefusedByName) {
  const std::string good = phased_config();
  EXPECT_NO_THROW(load_config_text(good, "<test>"));
  expect_config_error(replaced(good, "[sites.s.phases.a]", "[sites.s.phases.first]"), {"<test>:", "sites.s.phases.first", "reserved"});
  expect_config_error(replaced(good, "template = \"t\"", "template = \"t\"\nit_mw = 5"), {"sites.s.it_mw", "per phase"});
  expect_config_error(good + "after = { phase = \"c\" }\n", {"sites.s.phases.b.after.phase", "unknown phase \"c\""});
  expect_config_error(replaced(good, "planned_ready = \"2025-11\"", "planned_ready = \"2025-11\"\nafter = { phase = \"b\" }"),
                 {"sites.s.phases.a.after", "planned ready before it"});
  const std::string actuals = with_data_date(good, "2025-09");
  expect_config_error(actuals + "[actuals]\nphases_online = [{ site = \"s\", phase = \"a\", date = \"2025-09\" }]\n",
                 {"actuals.phases_online.date", "at or after the data date 2025-09"});
  expect_config_error(actuals + "[actuals]\nphases_online = [{ site = \"s\", phase = \"a\", date = \"2024-12\" }]\n",
                 {"actuals.phases_online.date", "before its construction start 2025-01"});
  expect_config_error(actuals + "[actuals]\nphases_online = [{ site = \"s\", date = \"2025-05\" }]\n", {"has phases"});
  expect_config_error(actuals + "[actuals]\nphases_online = [{ site = \"s\", phase = \"z\", date = \"2025-05\" }]\n",
                 {"actuals.phases_online.phase", "unknown phase \"s/z\""});
  expect_config_error(actuals + "[actuals]\nreleases = [{ player = \"p\", date = \"2025-10\", model = \"M\", unlocked = true }]\n",
                 {"actuals.releases.date", "at or after the data date"});
  expect_config_error(actuals + "[actuals]\nreleases = [{ player = \"p\", date = \"2025-03\", model = \"M\", unlocked = 1 }]\n",
                 {"actuals.releases.unlocked", "true or false"});
}

TEST(Releases, FlagshipsOnACadenceFromTheLastReportedOne) {
  // Threshold 0 and 6 months of training: the frontier model is trained by month 7. Releases every
  // 4 months from the last reported one (2025-06, month 5), none before the data date (month 9):
  // slots 9, 13, 17, 21, ...; the frontier release takes the first at or after both, month 9.
  std::string cfg = with_data_date(config_with_network(kTwoActivities), "2025-10");
  cfg = replaced(cfg, "frontier_threshold_h100eq = 1e12", "frontier_threshold_h100eq = 0\nrelease_cadence_months = 4");
  cfg += R"(
[report]
release_windows = [["2025-01", "2025-12"], ["2026-01", "2026-12"], ["2024-01", "2024-12"]]
[actuals]
releases = [{ player = "p", date = "2025-06", model = "M1", unlocked = false }]
)";
  const auto run = run_text(cfg, 1000);
  const int last_2025 = kFixedPlayerMetrics + 1;  // after the default capex window
  for (std::uint64_t i = 0; i < 1000; ++i) {
    ASSERT_EQ(run.paths.metric(kFirstReleaseMonth, 0)[i], 9.0f);
    ASSERT_EQ(run.paths.metric(last_2025, 0)[i], 9.0f);       // the slot at the data date, after the reported 5
    ASSERT_EQ(run.paths.metric(last_2025 + 1, 0)[i], 21.0f);  // 13, 17, 21 in 2026
    ASSERT_EQ(run.paths.metric(last_2025 + 2, 0)[i], -13.0f);  // none in 2024: the month before the window
  }
}

TEST(Releases, WithoutAReportTheGridsPhaseIsUniform) {
  // No release reported: the first slot after the data date (month 9) is uniform on (9, 9 + 4].
  std::string cfg = with_data_date(config_with_network(kTwoActivities), "2025-10");
  cfg = replaced(cfg, "frontier_threshold_h100eq = 1e12", "frontier_threshold_h100eq = 0\nrelease_cadence_months = 4");
  const auto run = run_text(cfg, kPaths);
  const float* release = run.paths.metric(kFirstReleaseMonth, 0);
  double sum = 0;
  for (std::uint64_t i = 0; i < kPaths; ++i) {
    ASSERT_GT(release[i], 9.0f);
    ASSERT_LE(release[i], 13.0f);
    sum += release[i];
  }
  const double se = 4.0 / std::sqrt(12.0 * kPaths);  // sd of U(0, 4)
  EXPECT_NEAR(sum / kPaths, 11.0, 4 * se);
  EXPECT_NEAR(empirical_cdf(release, kPaths, 10.0), 0.25, four_se(0.25, kPaths));
}

TEST(Releases, EachFlagshipFromTheFrontierOneMayUnlockRevenue) {
  // Reported release at month 0 anchors a 4-month grid; training is done by month 7, so the
  // frontier release is the slot at 8 and the next one within a 16-month horizon is 12. Each
  // succeeds with p = 0.5 on its own draw: P(success in the horizon) = 1 - 0.5^2 = 0.75, where a
  // single release gave 0.5.
  std::string cfg = with_data_date(config_with_network(kTwoActivities), "2025-02");
  cfg = replaced(cfg, "horizon_months = 96", "horizon_months = 16");
  cfg = replaced(cfg, "frontier_threshold_h100eq = 1e12", "frontier_threshold_h100eq = 0\nrelease_cadence_months = 4");
  cfg += "\n[actuals]\nreleases = [{ player = \"p\", date = \"2025-01\", model = \"M0\", unlocked = false }]\n";
  const auto run = run_text(cfg, kPaths);
  const Results res = aggregate(run.model, run.paths, 2);
  EXPECT_NEAR(res.players[0].probabilities[kProbFrontierSuccess].p, 0.75, four_se(0.75, kPaths));
  for (std::uint64_t i = 0; i < 100; ++i) ASSERT_EQ(run.paths.metric(kFirstReleaseMonth, 0)[i], 8.0f);
}
