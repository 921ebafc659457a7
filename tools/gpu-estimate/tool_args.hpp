#pragma once
// What the estimators that run the path kernel on a config share: their command line,
// CONFIG [--paths N] [--top K], and the model they compile from it.
#include <optional>
#include <string>

#include "host/model/compiled_model.hpp"

namespace buildout::estimate {

struct ToolArgs {
  std::string config;
  long long paths, top;
};

// Prints why, and the tool's usage, to stderr; returns 2, the exit code for bad input.
int usage(const char* tool, const std::string& why);

// The arguments, or nothing after usage() has said what is wrong.
std::optional<ToolArgs> parse_tool_args(const char* tool, int argc, char** argv, long long default_paths);

// The config compiled with its own seed, or nothing after its error is printed.
std::optional<CompiledModel> load_model(const std::string& config);

}  // namespace buildout::estimate
