// Every hard limit of kernels/limits.hpp that a config can pass is refused at
// load, naming FILE:LINE:COL and the key of the entry that passes it.
#include <gtest/gtest.h>

#include <cstdio>

#include "host/config/config_error.hpp"
#include "kernels/limits.hpp"
#include "test_support.hpp"

namespace buildout::testing {
namespace {

int line_of(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

// Loads `text` and expects an error at the line of `at_line_of` (its first column
// given) naming each of `parts`.
void expect_limit_error(const std::string& text, const std::string& at_line_of, std::initializer_list<std::string> parts) {
  try {
    load_config_text(text, "<test>");
    FAIL() << "no error for a config with " << at_line_of;
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind("<test>:" + std::to_string(line_of(text, at_line_of)) + ":", 0), 0u) << msg;
    for (const auto& p : parts) EXPECT_NE(msg.find(p), std::string::npos) << "missing \"" << p << "\" in: " << msg;
  }
}

std::string numbered(const char* format, int k) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, k);
  return buf;
}

const std::string kOneActivity = "[templates.t.activities.a]\nduration = 1\n";

TEST(ConfigLimits, TooManyPlayersAndOwnersNamesTheFirstOneTooMany) {
  std::string owners;
  for (int k = 0; k < kMaxPlayers; ++k)  // with player p, one more than kMaxPlayers
    owners += numbered("[owners.o%d]\n", k) + "wacc = 0.1\nutilisation = 1.0\npue = 1.0\nom_share_per_year = 0.0\n";
  const std::string text = config_with_network(kOneActivity, owners);
  expect_limit_error(text, numbered("[owners.o%d]", kMaxPlayers - 1),
                     {numbered("owners.o%d", kMaxPlayers - 1), "kMaxPlayers = " + std::to_string(kMaxPlayers)});
}

TEST(ConfigLimits, TooManyGlobalDrawsNamesTheEntryThatPassesTheLimit) {
  std::string regions;
  for (int k = 0; k < kMaxGlobalDraws; ++k) regions += numbered("[regions.zz%03d]\n", k) + "power_usd_per_mwh = 50\n";
  const std::string text = config_with_network(kOneActivity, regions);
  // The market's 5 draws and region r come first; regions are read in key order.
  const int passing = kMaxGlobalDraws - 5 - 1;
  expect_limit_error(text, numbered("[regions.zz%03d]", passing),
                     {numbered("regions.zz%03d", passing), "global draws", "kMaxGlobalDraws = " + std::to_string(kMaxGlobalDraws)});
}

TEST(ConfigLimits, TooManyDrawsInASiteNamesTheSite) {
  std::string risks;
  const int events = (kMaxSiteDraws - 11) / 3 + 1;  // 10 fixed draws and one activity besides
  for (int k = 0; k < events; ++k) risks += numbered("[templates.t.risks.e%03d]\n", k) + "probability = 0.1\n";
  const std::string text = config_with_network(kOneActivity + risks);
  expect_limit_error(text, "[sites.s]", {"sites.s", "kMaxSiteDraws = " + std::to_string(kMaxSiteDraws)});
}

TEST(ConfigLimits, TooManyProgrammePeriodsNamesThePeriodOneTooMany) {
  std::string guidance;
  for (int q = 0; q <= kMaxProgrammePeriods; ++q) {
    const int year = 2025 + q / 4, month = 1 + 3 * (q % 4);
    char period[96];
    std::snprintf(period, sizeof period, "  { from = \"%d-%02d\", to = \"%d-%02d\", usd_b = 1.0 },\n", year, month, year, month + 2);
    guidance += period;
  }
  const std::string text = config_with_network(kOneActivity, R"(
[players.p.programme]
ai_share = 0.5
capex_basis = "cash"
accelerator = "h"
region = "r"
usd_b_per_gw = 10
lag_months = 3
accelerator_share = 0.5
guidance = [
)" + guidance + "]\n");
  const int last = 2025 + kMaxProgrammePeriods / 4;
  expect_limit_error(text, "from = \"" + std::to_string(last) + numbered("-%02d\"", 1 + 3 * (kMaxProgrammePeriods % 4)),
                     {"players.p.programme.guidance", "kMaxProgrammePeriods = " + std::to_string(kMaxProgrammePeriods)});
}

TEST(ConfigLimits, TooManyContractedUnitsNamesTheContract) {
  std::string phases;
  for (int k = 0; k <= kMaxContracts; ++k)
    phases += numbered("[sites.s2.phases.ph%02d]\n", k) + "it_mw = 1\naccelerator_count = 10\nplanned_ready = \"2026-01\"\n";
  const std::string text = config_with_network(kOneActivity, R"(
[owners.o]
wacc = 0.10
utilisation = 1.0
pue = 1.0
om_share_per_year = 0.0

[sites.s2]
player = "o"
accelerator = "h"
region = "r"
construction_start = "2025-01"
template = "t"
cost_per_mw_usd_m = 10
)" + phases + "\n[contracts.c]\nbuyer = \"p\"\nsite = \"s2\"\nterm_months = 12\n");
  expect_limit_error(text, "[contracts.c]", {"contracts.c", "kMaxContracts = " + std::to_string(kMaxContracts)});
}

}  // namespace
}  // namespace buildout::testing
