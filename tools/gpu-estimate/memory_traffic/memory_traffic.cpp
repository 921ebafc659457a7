// The bytes the path kernel loads or stores, by where they are: its own stack frame (a GPU
// thread's local memory), the kernel's parameters, and global memory (the model, the outputs).
// The kernel runs here on the CPU, path by path (the config's seed, its first paths), built with
// GCC's access checks (-fsanitize=kernel-address, each check a call to access_hook.cpp), for its
// loads (buildout_memory_loads) or its stores (buildout_memory_stores): checking both in one
// build would skip a store to what the same block has just loaded.
//
// Usage: buildout_memory_{loads,stores} CONFIG [--paths N] [--top K]   (N default 1024)
// Prints the bytes and accesses a path by region, the frame's bytes by file of kernels/, and the
// K lines with the most. The checks see the code before registers are allocated, as PTX's
// ld/st.local do: what a register holds is not counted.
#include <cstdio>
#include <map>
#include <optional>
#include <string>

#include "host/engine/path_buffers.hpp"
#include "host/model/compiled_model.hpp"
#include "kernels/path_bounds.hpp"
#include "tools/gpu-estimate/source_lines.hpp"
#include "tools/gpu-estimate/tool_args.hpp"
#include "access_hook.hpp"
#include "traced_sites.hpp"

namespace {

namespace traffic = buildout::traffic;

constexpr bool kStores = BUILDOUT_COUNT_STORES;
constexpr const char* kTool = kStores ? "buildout_memory_stores" : "buildout_memory_loads";

}  // namespace

int main(int argc, char** argv) {
  const std::optional<buildout::estimate::ToolArgs> args = buildout::estimate::parse_tool_args(kTool, argc, argv, 1024);
  if (!args) return 2;
  const std::string& config = args->config;
  const long long paths = args->paths, top = args->top;
  const std::optional<buildout::CompiledModel> loaded = buildout::estimate::load_model(config);
  if (!loaded) return 2;
  const buildout::CompiledModel& model = *loaded;
  const bool compact = buildout::fits_path_bounds<buildout::CompactPathBounds>(model.view());
  traffic::g_tally.checked = kStores ? traffic::Checked::kStores : traffic::Checked::kLoads;
  const auto sites = traffic::run_traced(kTool, model, static_cast<std::uint64_t>(paths));
  if (!sites) return 1;

  const double n = static_cast<double>(paths);
  double bytes[traffic::kRegions] = {}, accesses[traffic::kRegions] = {};
  std::map<std::string, double> frame_by_file, frame_by_line;
  for (const traffic::TracedSite& s : *sites) {
    for (int r = 0; r < traffic::kRegions; ++r) {
      bytes[r] += s.site->bytes[r] / n;
      accesses[r] += s.site->accesses[r] / n;
    }
    const double frame = s.site->bytes[traffic::kFrame] / n;
    if (frame == 0.0) continue;
    frame_by_file[s.line.substr(0, s.line.find(':'))] += frame;
    frame_by_line[s.line] += frame;
  }
  // What the hooks must have seen: every output stored once (the players with the highest NPV
  // get a flag stored again), and loads from the frame and from the parameters.
  const double outputs = static_cast<double>(buildout::PathBuffers::bytes_per_path(model));
  const bool seen = kStores ? bytes[traffic::kGlobal] >= outputs && bytes[traffic::kGlobal] <= outputs + model.n_players()
                            : bytes[traffic::kFrame] > 0.0 && bytes[traffic::kParam] > 0.0;
  if (!seen) {
    std::fprintf(stderr, "%s: the checks did not see the kernel's accesses (global stores %.1f bytes a path, outputs %.0f; frame %.0f; parameters %.0f)\n",
                 kTool, bytes[traffic::kGlobal], outputs, bytes[traffic::kFrame], bytes[traffic::kParam]);
    return 1;
  }
  const char* kind = kStores ? "stores" : "loads";
  std::printf("config %s, %lld paths, %s kernel: its %s\n", config.c_str(), paths, compact ? "compact" : "full", kind);
  std::printf("\na path's %s:       bytes    accesses\n", kind);
  const char* names[traffic::kRegions] = {"frame (local memory)", "kernel parameters", "global memory"};
  for (int r = 0; r < traffic::kRegions; ++r) std::printf("  %-22s %9.0f %10.0f\n", names[r], bytes[r], accesses[r]);
  if (kStores) std::printf("  (the outputs are %.0f bytes a path)\n", outputs);
  std::printf("\nthe frame's bytes a path, by file:\n");
  for (const auto& [b, name] : buildout::estimate::ranked(frame_by_file)) std::printf("  %-30s %9.0f\n", name.c_str(), b);
  std::printf("\nthe %lld lines with the most:\n", top);
  for (const auto& [b, name] : buildout::estimate::ranked(frame_by_line, static_cast<std::size_t>(top)))
    std::printf("  %-36s %9.0f\n", name.c_str(), b);
  return 0;
}
