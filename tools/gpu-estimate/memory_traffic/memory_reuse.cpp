// How much of the path kernel's frame traffic a cache would keep on chip: its frame's loads and
// stores in the order a thread makes them, with each one's reuse distance (reuse_distance.hpp).
// The kernel runs on the CPU as for buildout_memory_loads, in a build that checks loads and
// stores both. That build skips the check of an access to what the same block has just touched,
// which a cache holds anyway, so its byte counts are below the two counting builds' sum.
//
// Usage: buildout_memory_reuse CONFIG [--paths N] [--top K]   (N default 1024)
// Prints, for caches that keep the last C bytes a thread touched, the frame bytes a path that
// miss them, and the K lines of kernels/ with the most bytes that miss a 1 KB cache. What share
// of an SM's L1 and of the L2 a GPU thread gets follows from the kernel's occupancy
// (docs/PERFORMANCE.md, "Estimators"); this tool assumes none.
#include <cstdio>
#include <map>
#include <optional>
#include <string>

#include "host/model/compiled_model.hpp"
#include "kernels/path_bounds.hpp"
#include "tools/gpu-estimate/source_lines.hpp"
#include "tools/gpu-estimate/tool_args.hpp"
#include "access_hook.hpp"
#include "reuse_distance.hpp"
#include "traced_sites.hpp"

namespace {

namespace traffic = buildout::traffic;

constexpr const char* kTool = "buildout_memory_reuse";
constexpr std::size_t kCacheBytes[] = {128, 256, 512, 768, 1024, 1536, 2048, 3072, 4096, 8192};

}  // namespace

int main(int argc, char** argv) {
  const std::optional<buildout::estimate::ToolArgs> args = buildout::estimate::parse_tool_args(kTool, argc, argv, 1024);
  if (!args) return 2;
  const long long paths = args->paths, top = args->top;
  const std::optional<buildout::CompiledModel> loaded = buildout::estimate::load_model(args->config);
  if (!loaded) return 2;
  const buildout::CompiledModel& model = *loaded;
  traffic::ReuseDistances reuse(traffic::kFrameWindowBytes);
  traffic::g_tally.checked = traffic::Checked::kBoth;
  traffic::g_tally.reuse = &reuse;
  const auto sites = traffic::run_traced(kTool, model, static_cast<std::uint64_t>(paths));
  if (!sites) return 1;
  if (reuse.bytes() == 0) {  // any access touches some word first
    std::fprintf(stderr, "%s: the checks saw no frame accesses\n", kTool);
    return 1;
  }

  const double n = static_cast<double>(paths);
  const double all = reuse.bytes() / n;
  std::printf("config %s, %lld paths, %s kernel: its frame's loads and stores, in order\n", args->config.c_str(), paths,
              buildout::fits_path_bounds<buildout::CompactPathBounds>(model.view()) ? "compact" : "full");
  std::printf("\na path's frame accesses: %.0f bytes; first touches of a word %.0f; distinct bytes touched %.0f\n", all,
              reuse.first_touch_bytes() / n, reuse.footprint_bytes() / n);
  std::printf("\na thread's cache   frame bytes a path that miss it   share\n");
  for (const std::size_t c : kCacheBytes) {
    const double miss = reuse.miss_bytes(c) / n;
    std::printf("  %6zu B          %12.0f                     %5.1f%%\n", c, miss, 100.0 * miss / all);
  }

  static_assert(traffic::kSiteCacheBytes[1] == 1024, "the lines are ranked at the 1 KB cache");
  std::map<std::string, double> missed_by_line[traffic::kSiteCaches];
  for (const traffic::TracedSite& s : *sites)
    for (int c = 0; c < traffic::kSiteCaches; ++c)
      if (s.site->missed[c] != 0) missed_by_line[c][s.line] += s.site->missed[c] / n;
  std::printf("\nthe %lld lines with the most bytes a path that miss a 1 KB cache (and 512 B, 2 KB):\n", top);
  for (const auto& [b, line] : buildout::estimate::ranked(missed_by_line[1], static_cast<std::size_t>(top)))
    std::printf("  %-36s %9.0f %9.0f %9.0f\n", line.c_str(), b, missed_by_line[0][line], missed_by_line[2][line]);
  return 0;
}
