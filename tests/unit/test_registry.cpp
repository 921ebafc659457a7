// One list per concept: the README's output tables and the NumPy peer's
// agreement check are held to the metric, probability and site-metric lists
// the engine writes from (kernels/model_view.hpp, host/metrics/aggregate.hpp).
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "host/metrics/aggregate.hpp"
#include "test_support.hpp"

using namespace buildout;
using namespace buildout::testing;

namespace {

// The table rows between <!-- tag ... --> and <!-- /tag -->, in order.
std::vector<std::string> table_rows(const std::string& text, const std::string& tag) {
  const auto begin = text.find("<!-- " + tag);
  const auto end = text.find("<!-- /" + tag + " -->");
  EXPECT_NE(begin, std::string::npos) << tag;
  EXPECT_NE(end, std::string::npos) << tag;
  std::vector<std::string> rows;
  std::istringstream lines(text.substr(begin, end - begin));
  std::string line;
  while (std::getline(lines, line))
    if (line.rfind("| `", 0) == 0) rows.push_back(line);
  return rows;
}

}  // namespace

TEST(Registry, ReadmeTablesMatchTheListsRowForRow) {
  const std::string readme = read_file(source_path("README.md"));
  std::vector<std::string> metrics, probabilities, sites;
  for (const auto& m : kPlayerMetricInfo) metrics.push_back(std::string("| `") + m.name + "` | " + m.unit + " | " + m.meaning + " |");
  for (const auto& p : kPlayerProbabilityInfo) probabilities.push_back(std::string("| `") + p.name + "` | " + p.event + " |");
  for (const auto& s : kSiteMetricInfo) sites.push_back(std::string("| `") + s.name + "` | " + s.unit + " | " + s.meaning + " |");
  EXPECT_EQ(table_rows(readme, "player-metrics"), metrics);
  EXPECT_EQ(table_rows(readme, "player-probabilities"), probabilities);
  EXPECT_EQ(table_rows(readme, "site-metrics"), sites);
}

TEST(Registry, EveryNameThePeerCheckReadsIsOneTheEngineWrites) {
  // scripts/peer_agreement.py looks rows up as pct[(player, "name", ...)] and site_rows[(site, "name", ...)].
  const std::string peer = read_file(source_path("scripts/peer_agreement.py"));
  std::set<std::string> written;
  const auto model = compile_model(load_config_file(source_path("configs/base.toml")), 1);
  for (const auto& c : model.player_columns) written.insert(c.name);
  for (const auto& p : kPlayerProbabilityInfo) written.insert(p.name);
  for (const auto& s : kSiteMetricInfo) written.insert(s.name);
  const std::regex lookup(R"re((?:pct|site_rows)\[\(\w+, "(\w+)")re");
  int found = 0;
  for (auto it = std::sregex_iterator(peer.begin(), peer.end(), lookup); it != std::sregex_iterator(); ++it, ++found)
    EXPECT_TRUE(written.count((*it)[1])) << "peer_agreement.py reads \"" << (*it)[1] << "\", which no report writes";
  EXPECT_GE(found, 4);
}
