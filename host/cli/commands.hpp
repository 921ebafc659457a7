#pragma once
#include <cstdint>
#include <string>

namespace buildout {

struct RunOptions {
  std::string config;  // empty: the built-in base scenario
  std::uint64_t paths = 0, seed = 0, batch = 0;  // 0: from the config
  bool seed_set = false;
  std::string device = "auto";
  int threads = 0;  // 0: all cores
  std::string out = "results";
  std::string progress = "auto";
  std::string max_memory;  // bytes, with an optional K/M/G/T suffix (powers of 1024)
  std::string percentiles = "auto";  // exact (keep every path) | streaming (bounded memory) | auto
  std::string checkpoint, resume;    // streaming: write a checkpoint to / continue from this file
  double checkpoint_every_s = 600;
};

// Exit code of a run stopped by SIGTERM or SIGUSR1 after writing its checkpoint.
constexpr int kExitStopped = 3;

int run_command(const RunOptions& opt);
int validate_command(const std::string& config);
// Runs CONFIG (usually as of an earlier data date) and places each recorded
// outcome of OUTCOMES in its distribution: backtest.csv and backtest.md.
int backtest_command(const RunOptions& opt, const std::string& outcomes);

std::uint64_t parse_bytes(const std::string& text);  // throws UserError
const char* builtin_base_config();
const char* buildout_version();

}  // namespace buildout
