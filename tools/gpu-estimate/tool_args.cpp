#include "tool_args.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>

#include "host/config/config.hpp"

namespace buildout::estimate {

int usage(const char* tool, const std::string& why) {
  std::fprintf(stderr, "%s: %s\nusage: %s CONFIG [--paths N] [--top K]\n", tool, why.c_str(), tool);
  return 2;
}

std::optional<ToolArgs> parse_tool_args(const char* tool, int argc, char** argv, long long default_paths) {
  if (argc < 2) {
    usage(tool, "no config given");
    return std::nullopt;
  }
  ToolArgs args{argv[1], default_paths, 20};
  for (int a = 2; a < argc; ++a) {
    const std::string flag = argv[a];
    if ((flag == "--paths" || flag == "--top") && a + 1 == argc) {
      usage(tool, flag + " needs a value");
      return std::nullopt;
    }
    if (flag == "--paths" || flag == "--top") {
      char* end = nullptr;
      const long long v = std::strtoll(argv[++a], &end, 10);
      if (*end != '\0' || v <= 0) {
        usage(tool, flag + " needs a positive whole number");
        return std::nullopt;
      }
      (flag == "--paths" ? args.paths : args.top) = v;
    } else {
      usage(tool, "unknown argument " + flag);
      return std::nullopt;
    }
  }
  return args;
}

std::optional<CompiledModel> load_model(const std::string& config) {
  try {
    const Config cfg = load_config_file(config);
    return compile_model(cfg, cfg.run.seed);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return std::nullopt;
  }
}

}  // namespace buildout::estimate
