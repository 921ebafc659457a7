#pragma once
#include <cstdint>

#include "kernels/model_view.hpp"

namespace buildout::traffic {

// Runs the path kernel for paths [0, paths) of the model, one after another, with the tally
// recording each path's accesses (access_hook.hpp). Built with GCC's access checks: its loads, its
// stores or both (tools/gpu-estimate/CMakeLists.txt), as the tally's `checked` names.
void run_paths(const ModelView& m, const PathOutputsView& out, bool compact, std::uint64_t paths);

}  // namespace buildout::traffic
