// The warp replay (warp_divergence/warp_replay.hpp) on small programs whose warp issues
// are known by hand: lanes that branch apart pay for both sides, a loop costs its longest lane,
// an event in different iterations is issued once in each, calls from different iterations
// are issued apart, a call right after a return is issued once (and one whose caller is not
// named is from the frame on top), a lane does not run ahead into the next iteration, lanes meet
// where branches join whatever the code's layout, and identical lanes cost one lane's
// instructions.
#include <gtest/gtest.h>

#include "warp_divergence/warp_replay.hpp"

namespace {

using buildout::warp::Block;
using buildout::warp::CallStack;
using buildout::warp::ControlFlow;
using buildout::warp::replay_warp;
using buildout::warp::WarpIssue;

WarpIssue replay(const std::vector<Block>& blocks, const std::vector<std::vector<int>>& lanes) {
  ControlFlow flow(blocks);
  for (const auto& t : lanes) flow.observe(t);
  flow.analyse();
  WarpIssue w;
  replay_warp(flow, blocks, lanes, w);
  return w;
}

// for 3 iterations { H; if (lane) T else E; J } X
TEST(WarpReplay, BothSidesOfABranchAreIssuedInEachIteration) {
  enum { H, T, E, J, X };
  const std::vector<Block> blocks{{0, false, 1}, {0, false, 10}, {0, false, 20}, {0, false, 1}, {0, false, 1}};
  const std::vector<int> then_lane{H, T, J, H, T, J, H, T, J, X}, else_lane{H, E, J, H, E, J, H, E, J, X};
  const WarpIssue w = replay(blocks, {then_lane, else_lane});
  EXPECT_EQ(w.issued, 3 * (1 + 10 + 20 + 1) + 1);
  EXPECT_EQ(w.lane_mean, (37.0 + 67.0) / 2);
  EXPECT_EQ(w.block_issues[T], 3);
  EXPECT_EQ(w.block_issues[E], 3);
  EXPECT_EQ(w.block_issues[H], 3);
  // Both lanes on the same side: issued once.
  EXPECT_EQ(replay(blocks, {then_lane, then_lane}).issued, 37);
}

// while (H) B; X, with 2 and 5 iterations.
TEST(WarpReplay, ALoopCostsItsLongestLane) {
  enum { H, B, X };
  const std::vector<Block> blocks{{0, false, 2}, {0, false, 5}, {0, false, 1}};
  const std::vector<int> two{H, B, H, B, H, X}, five{H, B, H, B, H, B, H, B, H, B, H, X};
  const WarpIssue w = replay(blocks, {two, five, two});
  EXPECT_EQ(w.issued, 5 * (2 + 5) + 2 + 1);
  EXPECT_EQ(w.block_issues[B], 5);
  EXPECT_EQ(w.block_issues[X], 1);
}

// for 4 months { H; C; if (event this month) E; J } X: lanes with their event in months 1 and 3
// issue E twice; lanes with it in the same month, once.
TEST(WarpReplay, AnEventInDifferentIterationsIsIssuedInEach) {
  enum { H, C, E, J, X };
  const std::vector<Block> blocks{{0, false, 1}, {0, false, 2}, {0, false, 50}, {0, false, 1}, {0, false, 1}};
  const auto lane = [](int event_month) {
    std::vector<int> t;
    for (int m = 0; m < 4; ++m) {
      t.insert(t.end(), {H, C});
      if (m == event_month) t.push_back(E);
      t.push_back(J);
    }
    t.push_back(X);
    return t;
  };
  EXPECT_EQ(replay(blocks, {lane(1), lane(3)}).issued, 4 * (1 + 2 + 1) + 2 * 50 + 1);
  EXPECT_EQ(replay(blocks, {lane(1), lane(1), lane(2)}).block_issues[E], 2);
  EXPECT_EQ(replay(blocks, {lane(2), lane(2)}).issued, 4 * 4 + 50 + 1);
}

// for 3 iterations { H; if (lane's iteration) call F (F0 F1); J } X: calls in different
// iterations are issued apart, calls in the same iteration together.
TEST(WarpReplay, CallsInDifferentIterationsAreIssuedApart) {
  enum { H, J, X, F0, F1 };
  const std::vector<Block> blocks{{0, false, 1, {1}}, {0, false, 1}, {0, false, 1}, {1, true, 7}, {1, false, 3}};
  const auto lane = [](int call_in) {
    std::vector<int> t;
    for (int k = 0; k < 3; ++k) {
      t.push_back(H);
      if (k == call_in) t.insert(t.end(), {F0, F1});
      t.push_back(J);
    }
    t.push_back(X);
    return t;
  };
  EXPECT_EQ(replay(blocks, {lane(0), lane(2)}).issued, 3 * 2 + 2 * 10 + 1);
  EXPECT_EQ(replay(blocks, {lane(1), lane(1)}).issued, 3 * 2 + 10 + 1);
}

// A { call F (F0) } B, with no block known to call F (the disassembly did not name the call):
// the call is from the frame on top, and returns to it.
TEST(WarpReplay, ACallWithoutANamedCallerIsFromTheFrameOnTop) {
  enum { A, F0, B };
  const std::vector<Block> blocks{{0, false, 1}, {1, true, 1}, {0, false, 1}};
  CallStack stack(blocks);
  EXPECT_EQ(stack.step(A).depth, 0u);
  EXPECT_EQ(stack.step(F0).depth, 1u);
  const CallStack::Step back = stack.step(B);
  EXPECT_EQ(back.depth, 0u);
  EXPECT_EQ(back.from, A);
}

// A { call F (F0, then F1 or F2); call G (G0 G1) } Z: the block that calls F calls G as soon as F
// returns, with no block of its own between. The lanes, apart in F, issue G together.
TEST(WarpReplay, ACallRightAfterAReturnIsIssuedOnce) {
  enum { A, Z, F0, F1, F2, G0, G1 };
  const std::vector<Block> blocks{{0, false, 1, {1, 2}}, {0, false, 1}, {1, true, 2}, {1, false, 3},
                                  {1, false, 4},         {2, true, 5},  {2, false, 6}};
  const std::vector<int> one{A, F0, F1, G0, G1, Z}, two{A, F0, F2, G0, G1, Z};
  const WarpIssue w = replay(blocks, {one, two});
  EXPECT_EQ(w.block_issues[G0], 1);
  EXPECT_EQ(w.issued, 1 + 2 + 3 + 4 + 5 + 6 + 1);
}

// for 3 iterations { H; S: if (lane skips) continue; L; J } X, one lane skipping the first:
// the lane that went on to the next iteration waits for the other to finish this one.
TEST(WarpReplay, ALaneThatContinuesWaitsForTheIteration) {
  enum { H, S, L, J, X };
  const std::vector<Block> blocks{{0, false, 1}, {0, false, 1}, {0, false, 10}, {0, false, 1}, {0, false, 1}};
  const std::vector<int> skips{H, S, H, S, L, J, H, S, L, J, H, X}, goes_on{H, S, L, J, H, S, L, J, H, S, L, J, H, X};
  const WarpIssue w = replay(blocks, {skips, goes_on});
  EXPECT_EQ(w.block_issues[L], 3);
  EXPECT_EQ(w.block_issues[H], 4);
  EXPECT_EQ(w.issued, 4 * 1 + 3 * (1 + 10 + 1) + 1);
}

// A branch whose sides meet again, the join laid out before one side (as compilers place a
// rarely taken side after the function's body): the lanes meet at the join all the same.
TEST(WarpReplay, LanesMeetWhereBranchesJoinWhateverTheLayout) {
  enum { A, J, Z, Rare };
  const std::vector<Block> blocks{{0, false, 1}, {0, false, 4}, {0, false, 1}, {0, false, 30}};
  const std::vector<int> usual{A, J, Z}, rare{A, Rare, J, Z};
  const WarpIssue w = replay(blocks, {usual, rare, usual});
  EXPECT_EQ(w.issued, 1 + 30 + 4 + 1);
  EXPECT_EQ(w.block_issues[J], 1);
}

TEST(WarpReplay, IdenticalLanesCostOneLane) {
  enum { H, B, X };
  const std::vector<Block> blocks{{0, false, 2}, {0, false, 5}, {0, false, 1}};
  const std::vector<int> t{H, B, H, B, H, X};
  const WarpIssue w = replay(blocks, std::vector<std::vector<int>>(32, t));
  EXPECT_EQ(w.issued, w.lane_mean);
  EXPECT_EQ(w.issued, 2 * 7 + 2 + 1);
}

}  // namespace
