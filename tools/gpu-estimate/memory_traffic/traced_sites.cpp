#include "traced_sites.hpp"

#include <cstdio>
#include <exception>

#include "host/engine/path_buffers.hpp"
#include "kernels/path_bounds.hpp"
#include "tools/gpu-estimate/source_lines.hpp"
#include "run_paths.hpp"

namespace buildout::traffic {

std::optional<std::vector<TracedSite>> run_traced(const char* tool, const CompiledModel& model, std::uint64_t paths) {
  PathBuffers buf;
  buf.resize(model, paths);
  const ModelView view = model.view();
  run_paths(view, buf.view(), fits_path_bounds<CompactPathBounds>(view), paths);
  if (g_tally.full) {
    std::fprintf(stderr, "%s: more access sites than the tally's %zu slots\n", tool, AccessTally::kSlots);
    return std::nullopt;
  }
  std::vector<TracedSite> sites;
  std::vector<std::uint64_t> pcs;
  for (const Site& s : g_tally.sites)
    if (s.pc != 0) {
      sites.push_back({&s, {}});
      pcs.push_back(s.pc);
    }
  try {
    const std::vector<std::string> lines = estimate::kernel_lines(estimate::own_executable(), pcs);
    for (std::size_t k = 0; k < sites.size(); ++k) sites[k].line = lines[k];
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s (needs binutils' addr2line)\n", tool, e.what());
    return std::nullopt;
  }
  return sites;
}

}  // namespace buildout::traffic
