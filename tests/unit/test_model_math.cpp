// The plain math the config layer calls: the factors' Cholesky factor and a
// schedule network's topological order.
#include <gtest/gtest.h>

#include <cmath>

#include "host/model/cholesky.hpp"
#include "host/model/topological_order.hpp"

namespace buildout {
namespace {

TEST(Cholesky, FactorsAKnownThreeByThree) {
  // L = [[2, 0, 0], [6, 1, 0], [-8, 5, 3]] gives A = L L^T.
  const std::vector<double> a = {4, 12, -16, 12, 37, -43, -16, -43, 98};
  std::vector<double> l;
  ASSERT_TRUE(cholesky(a, 3, l));
  const std::vector<double> expected = {2, 0, 0, 6, 1, 0, -8, 5, 3};
  ASSERT_EQ(l.size(), expected.size());
  for (size_t i = 0; i < l.size(); ++i) EXPECT_NEAR(l[i], expected[i], 1e-12) << i;
}

TEST(Cholesky, RefusesAMatrixThatIsNotPositiveDefinite) {
  std::vector<double> l;
  EXPECT_FALSE(cholesky({1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1}, 3, l));  // inconsistent correlations
  EXPECT_FALSE(cholesky({1, 1, 1, 1}, 2, l));                              // singular
  EXPECT_TRUE(cholesky({}, 0, l));
}

TEST(TopologicalOrder, PutsEachAfterItsPredecessorsAndTiesInIndexOrder) {
  // 3 and 1 are ready at once, then 0 (after 3), then 2 (after 0 and 1).
  const TopologicalOrder t = topological_order({{3}, {}, {0, 1}, {}});
  EXPECT_TRUE(t.cycle.empty());
  EXPECT_EQ(t.order, (std::vector<int>{1, 3, 0, 2}));
}

TEST(TopologicalOrder, NamesACycleInPrecedenceOrder) {
  // 0 -> 1 -> 2 -> 0 (each preceded by the one before), and 3 after 2.
  const TopologicalOrder t = topological_order({{2}, {0}, {1}, {2}});
  EXPECT_TRUE(t.order.empty());
  EXPECT_EQ(t.cycle, (std::vector<int>{0, 1, 2, 0}));
}

}  // namespace
}  // namespace buildout
