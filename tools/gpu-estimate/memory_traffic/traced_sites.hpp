#pragma once
// What the memory tools share: the kernel run on the CPU under the tally (access_hook.hpp), and
// each access site named by its line of kernels/.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "host/model/compiled_model.hpp"
#include "access_hook.hpp"

namespace buildout::traffic {

struct TracedSite {
  const Site* site;
  std::string line;  // "kernels/file.hpp:line"
};

// Runs the path kernel on the model's first `paths` paths with the tally recording (its `checked`
// and `reuse` set by the caller) and names the line of each site that was accessed. Nothing, after
// saying why on stderr as `tool`, where the tally ran out of slots or addr2line failed.
std::optional<std::vector<TracedSite>> run_traced(const char* tool, const CompiledModel& model, std::uint64_t paths);

}  // namespace buildout::traffic
