#include "host/model/topological_order.hpp"

#include <algorithm>
#include <cstddef>

namespace buildout {

TopologicalOrder topological_order(const std::vector<std::vector<int>>& predecessors) {
  const std::size_t n = predecessors.size();
  TopologicalOrder out;
  std::vector<int> indegree(n, 0);
  for (std::size_t i = 0; i < n; ++i) indegree[i] = static_cast<int>(predecessors[i].size());
  std::vector<bool> done(n, false);
  std::vector<int>& order = out.order;
  while (order.size() < n) {
    int next = -1;
    for (std::size_t i = 0; i < n && next < 0; ++i)
      if (!done[i] && indegree[i] == 0) next = static_cast<int>(i);
    if (next < 0) break;
    done[next] = true;
    order.push_back(next);
    for (std::size_t i = 0; i < n; ++i)
      for (int p : predecessors[i])
        if (p == next) --indegree[i];
  }
  if (order.size() == n) return out;
  // Walk predecessors among the unfinished ones until one repeats.
  int cur = 0;
  while (done[cur]) ++cur;
  std::vector<int> walk;
  while (std::find(walk.begin(), walk.end(), cur) == walk.end()) {
    walk.push_back(cur);
    for (int p : predecessors[cur])
      if (!done[p]) { cur = p; break; }
  }
  // The walk runs against precedence: from the repeated node, read it backwards.
  out.cycle.push_back(cur);
  const auto first = std::find(walk.begin(), walk.end(), cur);
  for (auto it = walk.end(); it != first + 1;) out.cycle.push_back(*--it);
  out.cycle.push_back(cur);
  out.order.clear();
  return out;
}

}  // namespace buildout
