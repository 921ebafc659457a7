#pragma once
#include <cstdint>
#include <string>

#include "host/config/config.hpp"

namespace buildout {

// Run metadata, reported beside the statistics.
struct RunInfo {
  std::string version, config_source, config_hash, backend, device;
  std::uint64_t seed = 0, paths = 0, batch = 0;
  int threads = 0, random_numbers_per_path = 0, horizon_months = 0;
  YearMonth valuation, data_date;
  double wall_s = 0, simulate_s = 0, paths_per_s = 0;
  double aggregate_s = 0, write_s = 0;  // write_s: rendering and writing the reports (not in summary.json, which it times)
  std::uint64_t memory_estimate_bytes = 0;
  std::uint64_t peak_rss_bytes = 0;  // the largest resident memory of any rank, up to the reports' writing
  std::string sampler = "philox";  // or "sobol": scrambled Sobol' points (quasi-Monte Carlo)
  std::string aggregation;  // "memory" (every path's results kept) or "streaming" (kSummaryPasses passes)
  int passes = 1;           // simulations of every path
  int ranks = 1;            // processes under mpirun
  // --target-se: the statistic held to it, the widest standard error reached, and what ended
  // the run ("paths": all of --paths; "target_se": the target was met first).
  std::string target_stat, stopped_by = "paths";
  double target_se = 0, achieved_se = 0;
  std::uint64_t paths_asked = 0;
};

}  // namespace buildout
