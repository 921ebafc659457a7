// How many instructions a GPU warp issues for the path kernel, against one path's: the kernel runs
// here on the CPU, path by path (the config's seed, its first paths), with every basic block it
// executes recorded: this file is built with -fsanitize-coverage=trace-pc, which calls a hook at
// the start of each block. The blocks and their sizes come from this program's own disassembly
// (objdump); each 32 consecutive paths are then replayed as a warp (warp_replay.hpp), and the
// instructions are put to the lines of kernels/ they came from (addr2line).
//
// Usage: buildout_warp_divergence CONFIG [--paths N] [--top K]      (N: whole warps, default 2048)
// Prints the x86 instructions a path executes on average and those its warp issues per path,
// their ratio, and both by file and, for the K lines with the most beyond a path's own, by line.
// The kernel is traced with every call it makes inlined, as nvcc compiles it. The instrumented
// build executes some 5% more x86 instructions a path than the engine's (a call in every block
// keeps blocks apart), so the ratio is the figure to carry to callgrind's count; x86
// instructions stand for the GPU's as callgrind's do.
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "host/engine/path_buffers.hpp"
#include "host/model/compiled_model.hpp"
#include "kernels/path_kernel.hpp"
#include "tools/gpu-estimate/source_lines.hpp"
#include "tools/gpu-estimate/tool_args.hpp"
#include "trace_hook.hpp"
#include "warp_replay.hpp"

namespace {

using buildout::estimate::for_each_line;
using buildout::estimate::run_tool;
using buildout::warp::Block;

constexpr int kWarpLanes = 32;

struct Disassembly {
  std::vector<Block> blocks;
  std::vector<std::uint64_t> pc;                    // each block's address
  std::unordered_map<std::uint64_t, int> block_at;  // a block's address -> its index
};

// Padding, as objdump prints it: nop, a long nop behind prefixes, xchg %ax,%ax.
bool is_nop(const std::string& mnemonic, const std::string& operands) {
  if (mnemonic.rfind("nop", 0) == 0) return true;
  if (mnemonic == "cs" || mnemonic == "data16") return operands.find("nop") != std::string::npos;
  return mnemonic == "xchg" && operands == "%ax,%ax";
}
bool ends_block(const std::string& mnemonic) { return mnemonic[0] == 'j' || mnemonic.rfind("ret", 0) == 0 || mnemonic == "ud2"; }

// This program's blocks: each starts after a call to the trace hook and runs to the next such
// call, a jump or a return; a function's first is its entry.
Disassembly disassemble(const std::string& exe) {
  const std::string text = run_tool("objdump -d --no-show-raw-insn -w '" + exe + "'");
  const std::regex header(R"(^([0-9a-f]+) <.+>:$)"), line(R"(^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$)");
  const auto is_trace_call = [](const std::string& mnemonic, const std::string& operands) {
    return mnemonic == "call" && operands.find("<__sanitizer_cov_trace_pc>") != std::string::npos;
  };
  Disassembly d;
  int function = -1;
  bool first = false;
  Block* open = nullptr;  // the block being sized
  bool after_trace_call = false;
  std::unordered_map<std::uint64_t, int> function_at;  // a function's address -> its index
  std::vector<std::pair<int, std::uint64_t>> calls;    // (block, address it calls)
  for_each_line(text, [&](const std::string& l) {
    std::smatch m;
    if (std::regex_match(l, m, header)) {
      function_at[std::stoull(m[1], nullptr, 16)] = function + 1;
      ++function;
      first = true;
      open = nullptr;
      after_trace_call = false;
      return;
    }
    if (function < 0 || !std::regex_match(l, m, line)) return;
    const std::string mnemonic = m[2], operands = m[3];
    if (after_trace_call) {  // a block starts here, empty if another call to the hook follows
      const std::uint64_t pc = std::stoull(m[1], nullptr, 16);
      d.block_at[pc] = static_cast<int>(d.blocks.size());
      d.blocks.push_back(Block{function, first, 0});
      d.pc.push_back(pc);
      open = &d.blocks.back();
      first = after_trace_call = false;
    }
    if (is_trace_call(mnemonic, operands)) {
      open = nullptr;
      after_trace_call = true;
      return;
    }
    if (!open) return;
    if (!is_nop(mnemonic, operands)) ++open->instructions;
    if (mnemonic == "call" && !operands.empty() && std::isxdigit(static_cast<unsigned char>(operands[0])))
      calls.emplace_back(static_cast<int>(open - d.blocks.data()), std::stoull(operands, nullptr, 16));
    if (ends_block(mnemonic)) open = nullptr;
  });
  for (const auto& [b, target] : calls) {
    const auto f = function_at.find(target);
    if (f != function_at.end()) d.blocks[b].callees.push_back(f->second);
  }
  return d;
}

// The kernel with every call it makes inlined, as nvcc compiles a kernel: otherwise GCC's
// inlining choices, which move with any change to the kernel's size, decide which code runs as
// calls, and the lanes of a warp meet again differently after a call than within one body.
template <class Kernel>
__attribute__((flatten, noinline)) void run_inlined(const Kernel& kernel, std::uint64_t i) {
  kernel(i);
}

constexpr const char* kTool = "buildout_warp_divergence";

}  // namespace

int main(int argc, char** argv) {
  const std::optional<buildout::estimate::ToolArgs> args = buildout::estimate::parse_tool_args(kTool, argc, argv, 2048);
  if (!args) return 2;
  const std::string& config = args->config;
  const long long paths = args->paths, top = args->top;
  if (paths % kWarpLanes != 0) return buildout::estimate::usage(kTool, "--paths must be a multiple of 32, whole warps");
  const std::optional<buildout::CompiledModel> loaded = buildout::estimate::load_model(config);
  if (!loaded) return 2;
  const buildout::CompiledModel& model = *loaded;
  std::string exe;
  Disassembly d;
  try {
    exe = buildout::estimate::own_executable();
    d = disassemble(exe);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s (needs binutils' objdump and addr2line)\n", kTool, e.what());
    return 1;
  }

  buildout::PathBuffers buf;
  buf.resize(model, static_cast<std::uint64_t>(paths));
  const buildout::ModelView view = model.view();
  const bool compact = buildout::fits_path_bounds<buildout::CompactPathBounds>(view);
  // Twice through the same paths (the kernel is a function of the path's index): first to learn
  // the control flow from every trace, then to replay each warp's.
  buildout::warp::ControlFlow flow(d.blocks);
  buildout::warp::WarpIssue issue;
  std::vector<std::vector<int>> traces(kWarpLanes);
  std::uint64_t recorded = 0, unknown = 0;
  buildout::with_path_bounds(compact, [&](auto bounds) {
    const buildout::PathKernel<decltype(bounds)> kernel{view, buf.view(), 0};
    const auto trace_path = [&](long long i, std::vector<int>& trace) {
      buildout::warp::TraceBuffer& pcs = buildout::warp::g_trace;
      pcs.size = 0;
      pcs.recording = true;
      run_inlined(kernel, static_cast<std::uint64_t>(i));
      pcs.recording = false;
      trace.clear();
      for (std::size_t k = 0; k < pcs.size; ++k) {
        const auto b = d.block_at.find(pcs.pcs[k]);
        if (b == d.block_at.end()) ++unknown;
        else trace.push_back(b->second);
      }
      recorded += pcs.size;
    };
    for (long long i = 0; i < paths; ++i) {
      trace_path(i, traces[0]);
      flow.observe(traces[0]);
    }
    flow.analyse();
    for (long long i = 0; i < paths; ++i) {
      trace_path(i, traces[i % kWarpLanes]);
      if (i % kWarpLanes == kWarpLanes - 1) buildout::warp::replay_warp(flow, d.blocks, traces, issue);
    }
  });
  recorded /= 2;
  unknown /= 2;
  if (recorded == 0 || unknown > 0) {
    std::fprintf(stderr, "%s: %llu of %llu recorded blocks are not in the disassembly (a position-independent executable?)\n", kTool,
                 static_cast<unsigned long long>(unknown), static_cast<unsigned long long>(recorded));
    return 1;
  }
  const double warps = static_cast<double>(paths / kWarpLanes);
  const double path_mean = issue.lane_mean / warps, warp = issue.issued / warps;
  std::printf("config %s, %lld paths, %s kernel\n", config.c_str(), paths, compact ? "compact" : "full");
  std::printf("%.0f blocks a path\n", static_cast<double>(recorded) / paths);
  std::printf("x86 instructions a path: %.0f on average; issued by its warp, per path: %.0f; ratio %.3f\n", path_mean, warp, warp / path_mean);

  // Where the warp's instructions go, by file and by line of kernels/: a path's own, and the
  // warp's per path.
  std::vector<std::uint64_t> addresses;
  std::vector<int> issued_blocks;
  for (std::size_t b = 0; b < d.blocks.size(); ++b)
    if (issue.block_issues[b] > 0.0) {
      addresses.push_back(d.pc[b]);
      issued_blocks.push_back(static_cast<int>(b));
    }
  std::vector<std::string> lines;
  try {
    lines = buildout::estimate::kernel_lines(exe, addresses);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", kTool, e.what());
    return 1;
  }
  struct Cost {
    double path = 0.0, warp = 0.0;
    void operator+=(const Cost& c) {
      path += c.path;
      warp += c.warp;
    }
  };
  std::map<std::string, Cost> by_file, by_line;
  std::map<std::string, double> beyond_by_file, beyond_by_line;  // what the warp issues beyond a path's own
  for (std::size_t k = 0; k < issued_blocks.size(); ++k) {
    const int b = issued_blocks[k];
    const Cost c{issue.block_mean[b] * d.blocks[b].instructions / warps, issue.block_issues[b] * d.blocks[b].instructions / warps};
    const std::string file = lines[k].substr(0, lines[k].find(':'));
    by_file[file] += c;
    by_line[lines[k]] += c;
    beyond_by_file[file] += c.warp - c.path;
    beyond_by_line[lines[k]] += c.warp - c.path;
  }
  std::printf("\nby file, x86 instructions a path:    its own    its warp's   beyond\n");
  for (const auto& [x, name] : buildout::estimate::ranked(beyond_by_file))
    std::printf("  %-30s %10.0f %12.0f %8.0f\n", name.c_str(), by_file[name].path, by_file[name].warp, x);
  std::printf("\nthe %lld lines with the most beyond a path's own:\n", top);
  for (const auto& [x, name] : buildout::estimate::ranked(beyond_by_line, static_cast<std::size_t>(top)))
    std::printf("  %-36s %10.0f %12.0f %8.0f\n", name.c_str(), by_line[name].path, by_line[name].warp, x);
  return 0;
}
