#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "host/config/config.hpp"

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
  bool max_memory_set = false;
  std::string percentiles = "auto";  // exact (keep every path) | streaming (bounded memory) | auto
  std::string checkpoint, resume;    // streaming: write a checkpoint to / continue from this file
  double checkpoint_every_s = 600;
  double target_se = 0;                        // 0: run every path
  bool target_se_set = false;
  std::string target_stat = "p_npv_positive";  // a probability or a metric column
  std::string sampler = "philox";              // philox (Monte Carlo) | sobol (scrambled Sobol' points)
};

// Paths per run of `sensitivity` when --paths does not say (2^14: Sobol indices to about +-0.02).
constexpr std::uint64_t kSensitivityDefaultPaths = 16384;

// Exit code of a run stopped by SIGTERM or SIGUSR1 after writing its checkpoint.
constexpr int kExitStopped = 3;

// A scenario file, or the built-in base scenario for an empty path.
Config load_scenario(const std::string& path);

int run_command(const RunOptions& opt);
// Runs BASE and each OTHER on common random numbers (the base's seed and path count) and
// writes their differences: deltas.csv and compare.md.
int compare_command(const RunOptions& opt, const std::vector<std::string>& configs);
// Tornado and Sobol indices of each player's NPV and P(NPV > 0) by input group: tornado.csv,
// sobol.csv and sensitivity.md. method: tornado | sobol | both; groups: comma-separated, empty for all.
int sensitivity_command(const RunOptions& opt, const std::string& method, const std::string& groups);
int validate_command(const std::string& config);
// Runs CONFIG (usually as of an earlier data date) and places each recorded
// outcome of OUTCOMES in its distribution: backtest.csv and backtest.md.
int backtest_command(const RunOptions& opt, const std::string& outcomes);

std::uint64_t parse_bytes(const std::string& text);  // throws UserError
const char* builtin_base_config();
const char* buildout_version();

}  // namespace buildout
