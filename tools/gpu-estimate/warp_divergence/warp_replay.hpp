#pragma once
// What a GPU warp issues for 32 paths, replayed from the basic blocks each path executed on the
// CPU. A warp issues every block any of its lanes takes: where lanes branch apart it runs each
// side for the lanes that took it, and they go on together where the branches meet again, the
// lanes that left a loop waiting for those still in it. The replay does the same:
//   - ControlFlow learns each function's control flow from the traces themselves (which block
//     followed which), and orders its blocks so that every branch comes before the blocks where
//     its sides meet (reverse post-order) and finds its loops (natural loops, from dominators);
//   - each lane's place is its frames of calls and, in each frame, the loops it is in with their
//     iteration and its block's place in that order (Lane::key);
//   - at each step the warp issues the block of the lanes that come first, for all of them.
// That is the order in which a warp that reconverges where branches meet runs its lanes, for
// code whose branches and loops are structured, as a compiler's are. tests/test_warp_replay.cpp
// holds it to warps whose issues are known by hand.
#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace buildout::warp {

// One basic block of the traced code.
struct Block {
  int function;               // index of its function
  bool entry;                 // its function's first block: reaching it is a call
  int instructions;           // its size, as issued once
  std::vector<int> callees{};  // the functions it calls
};

// A lane's frames of calls as its blocks go by: each step is a call (a function's first block),
// a return to the frame of the block's function, or a step within the frame on top. A call
// returns to the frame whose block calls the function: a callee that returns and is followed
// at once by another call of the same block (a block runs on after a call) is no longer a frame.
class CallStack {
 public:
  struct Step {
    std::size_t depth;  // the frame the block runs in (0: the first)
    int from;           // the frame's block before, or -1 where the frame starts with it
  };
  explicit CallStack(const std::vector<Block>& blocks) : blocks_(blocks) {}
  Step step(int b) {
    const Block& to = blocks_[b];
    if (frames_.empty() || to.entry) {
      const auto calls = [&](int caller) {
        const std::vector<int>& c = blocks_[caller].callees;
        return std::find(c.begin(), c.end(), to.function) != c.end();
      };
      // Where no frame's block is known to call it (a call the disassembly does not name), it is
      // a call from the frame on top, as every call was taken before callees were read.
      std::size_t caller = frames_.size();
      while (caller > 0 && !calls(frames_[caller - 1])) --caller;
      if (caller > 0) frames_.resize(caller);
      frames_.push_back(b);
      return Step{frames_.size() - 1, -1};
    }
    while (frames_.size() > 1 && blocks_[frames_.back()].function != to.function) frames_.pop_back();
    const int from = frames_.back();
    frames_.back() = b;
    return Step{frames_.size() - 1, from};
  }
  // Frame d's last block (its calling block, below the top).
  int block(std::size_t d) const { return frames_[d]; }
  // Below the top: which of frame d's block's calls frame d + 1 is, as a block may call
  // several functions one after another.
  int call_in_block(std::size_t d) const {
    const std::vector<int>& c = blocks_[frames_[d]].callees;
    return static_cast<int>(std::find(c.begin(), c.end(), blocks_[frames_[d + 1]].function) - c.begin());
  }

 private:
  const std::vector<Block>& blocks_;
  std::vector<int> frames_;  // each frame's last block
};

// The control flow of the traced code, as its traces show it.
class ControlFlow {
 public:
  explicit ControlFlow(const std::vector<Block>& blocks) : blocks_(blocks), succ_(blocks.size()), root_(blocks.size(), false) {}

  // Adds the transitions of one trace.
  void observe(const std::vector<int>& trace) {
    CallStack stack(blocks_);
    for (int b : trace) {
      const CallStack::Step s = stack.step(b);
      if (s.from < 0) root_[b] = true;
      else if (std::find(succ_[s.from].begin(), succ_[s.from].end(), b) == succ_[s.from].end()) succ_[s.from].push_back(b);
    }
  }

  // Orders the blocks, then finds their dominators and loops; after every observe.
  void analyse() {
    const int n = static_cast<int>(blocks_.size());
    // Post-order by depth-first search from the roots; order_[b] = n - post-order: reverse
    // post-order, in which every edge but a loop's back edge goes forward.
    order_.assign(n, -1);
    std::vector<int> post;
    std::vector<char> seen(n, 0);
    for (int r = 0; r < n; ++r) {
      if (!root_[r] || seen[r]) continue;
      std::vector<std::pair<int, std::size_t>> dfs{{r, 0}};
      seen[r] = 1;
      while (!dfs.empty()) {
        auto& [b, next] = dfs.back();
        if (next < succ_[b].size()) {
          const int c = succ_[b][next++];
          if (!seen[c]) {
            seen[c] = 1;
            dfs.emplace_back(c, 0);
          }
        } else {
          post.push_back(b);
          dfs.pop_back();
        }
      }
    }
    const int visited = static_cast<int>(post.size());
    for (int k = 0; k < visited; ++k) order_[post[k]] = visited - 1 - k;
    std::vector<int> by_order(visited);
    for (int b = 0; b < n; ++b)
      if (order_[b] >= 0) by_order[order_[b]] = b;
    std::vector<std::vector<int>> pred(n);
    for (int b = 0; b < n; ++b)
      for (int c : succ_[b]) pred[c].push_back(b);
    // Dominators (Cooper, Harvey and Kennedy's iteration), under a virtual root over the roots.
    const int virtual_root = -2;
    std::vector<int> idom(n, -1);
    for (int b = 0; b < n; ++b)
      if (root_[b] && order_[b] >= 0) idom[b] = virtual_root;
    const auto intersect = [&](int a, int b) {
      while (a != b) {
        if (a == virtual_root || b == virtual_root) return virtual_root;
        while (a != virtual_root && b != virtual_root && order_[a] > order_[b]) a = idom[a];
        while (a != virtual_root && b != virtual_root && order_[b] > order_[a]) b = idom[b];
      }
      return a;
    };
    for (bool changed = true; changed;) {
      changed = false;
      for (int b : by_order) {
        if (root_[b]) continue;
        int d = -1;
        for (int p : pred[b])
          if (idom[p] != -1) d = d == -1 ? p : intersect(p, d);
        if (d != -1 && idom[b] != d) {
          idom[b] = d;
          changed = true;
        }
      }
    }
    const auto dominates = [&](int a, int b) {
      for (; b >= 0; b = idom[b])
        if (b == a) return true;
      return false;
    };
    // Natural loops: an edge to a block that dominates its source closes a loop headed there;
    // its body is what reaches the source without passing the header.
    header_.clear();
    body_size_.clear();
    std::vector<int> loop_of_header(n, -1);
    std::vector<std::vector<char>> in_loop;
    for (int b = 0; b < n; ++b)
      for (int h : succ_[b]) {
        if (!dominates(h, b)) continue;
        if (loop_of_header[h] < 0) {
          loop_of_header[h] = static_cast<int>(header_.size());
          header_.push_back(h);
          in_loop.emplace_back(n, 0);
          in_loop.back()[h] = 1;
        }
        std::vector<char>& body = in_loop[loop_of_header[h]];
        std::vector<int> work;
        if (!body[b]) {
          body[b] = 1;
          work.push_back(b);
        }
        while (!work.empty()) {
          const int x = work.back();
          work.pop_back();
          for (int p : pred[x])
            if (!body[p]) {
              body[p] = 1;
              work.push_back(p);
            }
        }
      }
    for (const auto& body : in_loop) body_size_.push_back(static_cast<int>(std::count(body.begin(), body.end(), 1)));
    loops_.assign(n, {});
    for (int l = 0; l < static_cast<int>(header_.size()); ++l)
      for (int b = 0; b < n; ++b)
        if (in_loop[l][b]) loops_[b].push_back(l);
    for (auto& ls : loops_) std::sort(ls.begin(), ls.end(), [&](int x, int y) { return body_size_[x] > body_size_[y]; });
    back_.assign(n, {});
    for (int b = 0; b < n; ++b)
      for (int h : succ_[b])
        if (loop_of_header[h] >= 0 && in_loop[loop_of_header[h]][b]) back_[b].push_back(h);
  }

  int order(int b) const { return order_[b]; }
  int header(int loop) const { return header_[loop]; }
  const std::vector<int>& loops(int b) const { return loops_[b]; }  // outermost first
  bool back_edge(int from, int to) const { return std::find(back_[from].begin(), back_[from].end(), to) != back_[from].end(); }
  int n_loops() const { return static_cast<int>(header_.size()); }

 private:
  const std::vector<Block>& blocks_;
  std::vector<std::vector<int>> succ_;  // within a frame, deduplicated
  std::vector<bool> root_;              // a frame's first block
  std::vector<int> order_;              // reverse post-order; -1 if never reached
  std::vector<int> header_, body_size_;  // by loop
  std::vector<std::vector<int>> loops_, back_;  // by block: its loops; the headers it jumps back to
};

// One lane: where it is in its trace, and in what order the warp takes it.
class Lane {
 public:
  Lane(const ControlFlow& flow, const std::vector<Block>& blocks, const std::vector<int>& trace)
      : flow_(flow), trace_(trace), stack_(blocks) {
    if (!trace_.empty()) enter(trace_[0]);
  }
  bool done() const { return pos_ >= trace_.size(); }
  int block() const { return trace_[pos_]; }
  // For each frame, outermost first: its loops as (header's place, iteration), then its block's
  // place (for a frame below the top, the calling block's and which of its calls it made).
  const std::vector<std::int64_t>& key() const { return key_; }
  void advance() {
    if (++pos_ < trace_.size()) enter(trace_[pos_]);
  }

 private:
  // A frame's loops, as (loop, iteration); its block is the call stack's.
  using Loops = std::vector<std::pair<int, std::int64_t>>;

  void enter(int b) {
    const CallStack::Step s = stack_.step(b);
    loops_.resize(s.depth + 1);
    Loops& f = loops_[s.depth];
    const std::vector<int>& to = flow_.loops(b);
    std::size_t kept = 0;
    if (s.from >= 0)
      while (kept < f.size() && kept < to.size() && f[kept].first == to[kept]) ++kept;
    f.resize(kept);
    if (s.from >= 0 && kept > 0 && flow_.back_edge(s.from, b) && flow_.header(f.back().first) == b) ++f.back().second;
    for (std::size_t k = kept; k < to.size(); ++k) f.emplace_back(to[k], 0);
    key_.clear();
    for (std::size_t d = 0; d < loops_.size(); ++d) {
      for (const auto& [l, iteration] : loops_[d]) {
        key_.push_back(flow_.order(flow_.header(l)));
        key_.push_back(iteration);
      }
      key_.push_back(flow_.order(stack_.block(d)));
      key_.push_back(d + 1 < loops_.size() ? stack_.call_in_block(d) : -1);
    }
  }

  const ControlFlow& flow_;
  const std::vector<int>& trace_;
  std::size_t pos_ = 0;
  CallStack stack_;
  std::vector<Loops> loops_;  // by frame
  std::vector<std::int64_t> key_;
};

struct WarpIssue {
  double issued = 0.0;               // instructions the warps issue
  double lane_mean = 0.0;            // instructions a lane executes, on average, summed over warps
  std::vector<double> block_issues;  // the warps' issues of each block
  std::vector<double> block_mean;    // each block's executions by a lane, on average, summed over warps
};

// Replays a warp's lanes (traces of block indices, each observed by flow); adds to w.
inline void replay_warp(const ControlFlow& flow, const std::vector<Block>& blocks, const std::vector<std::vector<int>>& traces,
                        WarpIssue& w) {
  w.block_issues.resize(blocks.size(), 0.0);
  w.block_mean.resize(blocks.size(), 0.0);
  if (traces.empty()) return;
  const double lanes = static_cast<double>(traces.size());
  for (const auto& t : traces)
    for (int b : t) {
      w.lane_mean += blocks[b].instructions / lanes;
      w.block_mean[b] += 1.0 / lanes;
    }
  std::vector<Lane> state;
  state.reserve(traces.size());
  for (const auto& t : traces) state.emplace_back(flow, blocks, t);
  for (;;) {
    const Lane* first = nullptr;
    for (const Lane& l : state)
      if (!l.done() && (!first || l.key() < first->key())) first = &l;
    if (!first) break;
    const std::vector<std::int64_t> key = first->key();
    const int b = first->block();
    w.issued += blocks[b].instructions;
    w.block_issues[b] += 1.0;
    for (Lane& l : state)
      if (!l.done() && l.key() == key) l.advance();
  }
}

}  // namespace buildout::warp
