#pragma once
// The order a schedule network's activities are walked in: each after all of
// its predecessors.
#include <vector>

namespace buildout {

struct TopologicalOrder {
  std::vector<int> order;  // every node, each after its predecessors; empty when there is a cycle
  // Where there is no order: one cycle, in precedence order, its first node
  // again at the end (a -> b -> a is {a, b, a}).
  std::vector<int> cycle;
};

// Kahn's algorithm over predecessors[i] (the nodes that precede i); among the
// nodes ready at once, the lowest index first.
TopologicalOrder topological_order(const std::vector<std::vector<int>>& predecessors);

}  // namespace buildout
