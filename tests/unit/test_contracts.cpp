// Owners and compute contracts against closed forms: a contract moves cash
// between buyer and seller and creates none.
#include "test_support.hpp"

namespace buildout::testing {
namespace {

// Player p's own site never comes online (a 200-month build); owner o's site,
// 10,000 H100 at 10 MW, is online from month 0 and sold to p for 24 months.
// Market price $2/h throughout, utilisation and every multiple 1.
std::string contract_config(const std::string& contract) {
  std::string owner_site = replaced(test_site("s2", "u"), "player = \"p\"", "player = \"o\"");
  owner_site = replaced(owner_site, "planned_ready = \"2026-01\"", "planned_ready = \"2025-01\"");
  return config_with_network("[templates.t.activities.build]\nduration = 200\n",
                             "[templates.u.activities.build]\nduration = 0\n"
                             "[owners.o]\nwacc = 0.10\nutilisation = 1.0\npue = 1.0\nom_share_per_year = 0.0\n" +
                                 owner_site + "\n[contracts.c]\nbuyer = \"p\"\nsite = \"s2\"\n" + contract);
}

constexpr double kUnitsHours = 10000 * 730.0;  // H100-eq hours a month at the owner's site
constexpr double kPower = 10 * 50 * 730.0;     // 10 MW at $50/MWh, utilisation and PUE 1

double metric(const EngineRun& run, PlayerMetric k, int entity) { return run.paths.metric(k, entity)[0] * 1e9; }

TEST(Contracts, MoveCashFromBuyerToSellerAtTheContractPrice) {
  const auto run = run_text(contract_config("price_usd_per_h100eq_hour = 1.5\nterm_months = 24\n"), 2);
  ASSERT_EQ(run.model.player_ids[1], "o");
  const double payments = 24 * kUnitsHours * 1.5;
  // The buyer earns on the capacity as own use (multiple 1) and pays for it.
  EXPECT_NEAR(metric(run, kRevenueUsdB, 0), 24 * kUnitsHours * 2.0, 1e3);
  EXPECT_NEAR(metric(run, kOpexUsdB, 0), payments, 1e3);
  // The seller is paid for 24 months, then rents the capacity at the market (utilisation 1), and pays the power.
  EXPECT_NEAR(metric(run, kRevenueUsdB, 1), payments + 72 * kUnitsHours * 2.0, 1e3);
  EXPECT_NEAR(metric(run, kOpexUsdB, 1), 96 * kPower, 1e3);
}

TEST(Contracts, AtTheMarketPriceTheBuyersPaymentsAreTheSellersLostRent) {
  // Without a price the contract pays the market's: the seller earns exactly what it would have renting.
  const auto contracted = run_text(contract_config("term_months = 36\n"), 2);
  const auto free = run_text(replaced(contract_config("term_months = 36\n"), "[contracts.c]\nbuyer = \"p\"\nsite = \"s2\"\nterm_months = 36\n", ""), 2);
  EXPECT_NEAR(metric(contracted, kRevenueUsdB, 1), metric(free, kRevenueUsdB, 1), 1e3);
  EXPECT_NEAR(metric(contracted, kOpexUsdB, 0), 36 * kUnitsHours * 2.0, 1e3);
  EXPECT_NEAR(metric(contracted, kNpvUsdB, 1), metric(free, kNpvUsdB, 1), 1e3);
}

TEST(Contracts, StartAndShareBoundWhatIsDelivered) {
  // Half the capacity from 2026-01 (month 12) for 12 months.
  const auto run = run_text(contract_config("price_usd_per_h100eq_hour = 1.0\nshare = 0.5\nstart = \"2026-01\"\nterm_months = 12\n"), 2);
  EXPECT_NEAR(metric(run, kOpexUsdB, 0), 12 * 0.5 * kUnitsHours * 1.0, 1e3);
}

TEST(Contracts, OwnersAreNotRankedAndReleaseNothing) {
  const auto run = run_text(contract_config("term_months = 24\n"), 200);
  EXPECT_EQ(run.paths.metric(kFirstReleaseMonth, 1)[0], 96.0f);
  for (std::uint64_t i = 0; i < 200; ++i) {
    EXPECT_FALSE(run.paths.flags(1)[i] & flag_of(kProbHighestNpv));
    EXPECT_TRUE(run.paths.flags(0)[i] & flag_of(kProbHighestNpv));  // the only player
  }
}

TEST(Contracts, BadContractsAndOwnersAreRefusedByKey) {
  const std::string good = contract_config("term_months = 24\n");
  expect_config_error(replaced(good, "buyer = \"p\"", "buyer = \"o\""), {"contracts.c.buyer", "must be a player"});
  expect_config_error(replaced(good, "site = \"s2\"", "site = \"nowhere\""), {"contracts.c.site", "unknown site \"nowhere\""});
  expect_config_error(replaced(good, "site = \"s2\"", "site = \"s\""), {"contracts.c.site", "belongs to the buyer"});
  expect_config_error(replaced(good, "term_months = 24", "term_months = 24\nshare = 1.5"), {"contracts.c.share"});
  expect_config_error(replaced(good, "term_months = 24", "term_months = -1"), {"contracts.c.term_months"});
  expect_config_error(replaced(good, "term_months = 24", "term_months = 24\nprice = 2"), {"contracts.c", "price"});
  expect_config_error(replaced(good, "[owners.o]", "[owners.p]"), {"owners.p", "already a player"});
  expect_config_error(replaced(good, "[owners.o]\n", "[owners.o]\ntraining_months = 3\n"), {"owners.o.training_months"});
  expect_config_error(replaced(good, "[owners.o]\n", "[owners.idle]\nwacc = 0.1\nutilisation = 1.0\npue = 1.0\nom_share_per_year = 0.0\n[owners.o]\n"),
                      {"owners.idle", "owns no site"});
}

}  // namespace
}  // namespace buildout::testing
