// buildout: parse the command line, run the command, map errors to exit codes
// (2: bad input or a run that cannot be done as asked; 1: internal failure).
#include <CLI/CLI.hpp>
#include <omp.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "host/config/config_error.hpp"
#include "host/config/value_bounds.hpp"
#include "host/engine/backend.hpp"
#include "host/engine/ranks.hpp"
#include "host/metrics/streaming_passes.hpp"
#include "commands.hpp"

namespace {
// A whole number in [lo, hi], written in digits alone: CLI11's own conversion would take "-1" as
// 2^64 - 1 and saturate what does not fit, and its PositiveNumber prints its range as two
// 300-digit doubles; say it plainly.
CLI::Validator integer_in(std::uint64_t lo, std::uint64_t hi, const std::string& range) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        const std::string expected = "expected " + range + ", got \"" + text + "\"";
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 20) return expected;
        try {
          const unsigned long long v = std::stoull(text);
          return v >= lo && v <= hi ? "" : expected;
        } catch (const std::exception&) {
          return expected;
        }
      },
      "INTEGER");
}
const CLI::Validator kPositiveInteger = integer_in(1, ~std::uint64_t{0}, "a positive integer");
// --threads: at most this many a core the process may use (more only adds threads that wait).
constexpr int kMaxThreadsPerCore = 4;
// Likewise NonNegativeNumber: seconds, say so plainly.
const CLI::Validator kNonNegativeSeconds(
    [](std::string& text) -> std::string {
      try {
        std::size_t used = 0;
        const double v = std::stod(text, &used);
        if (used == text.size() && v >= 0 && std::isfinite(v)) return "";
      } catch (const std::exception&) {
      }
      return "expected a number of seconds >= 0, got \"" + text + "\"";
    },
    "SECONDS");

// The options every command that simulates shares: how many paths, the seed, where they run
// and where the reports go. `batch`: whether it takes --batch.
void add_simulation_options(CLI::App* cmd, buildout::RunOptions& o, const std::string& paths_help, const std::string& seed_help,
                            bool batch) {
  using buildout::bounds::kMaxPaths;
  cmd->add_option("--paths", o.paths, paths_help + " (at most 2^40)")
      ->check(integer_in(1, kMaxPaths, "a positive integer of at most 2^40 = " + std::to_string(kMaxPaths)));
  cmd->add_option("--seed", o.seed, seed_help)
      ->check(integer_in(0, INT64_MAX, "an integer from 0 to 2^63 - 1 = " + std::to_string(INT64_MAX)))
      ->each([&o](const std::string&) { o.seed_set = true; });
  cmd->add_option("--device", o.device, "auto | cpu | cuda (auto: a GPU when present)")->capture_default_str();
  const int cores = std::max(1, omp_get_num_procs());
  cmd->add_option("--threads", o.threads, "CPU threads (default: all cores; at most 4 a core)")
      ->check(integer_in(1, static_cast<std::uint64_t>(kMaxThreadsPerCore) * cores,
                         "a positive integer of at most " + std::to_string(kMaxThreadsPerCore * cores) + " (" +
                             std::to_string(kMaxThreadsPerCore) + " for each of the " + std::to_string(cores) + " cores)"));
  if (batch)
    cmd->add_option("--batch", o.batch, "Paths per batch (default: 32768 on CPU, 2097152 on GPU)")
        ->check(integer_in(1, std::uint64_t{1} << 32, "a positive integer of at most 2^32"));
  cmd->add_option("--out", o.out, "Output folder")->capture_default_str();
  cmd->add_option("--progress", o.progress, "auto | bar | log | none")->capture_default_str();
}
}  // namespace

int main(int argc, char** argv) {
  using namespace buildout;
  const Ranks ranks(argc, argv);
  CLI::App app{"Buildout: Monte Carlo capex risk for AI datacenter build-outs"};
  app.set_version_flag("--version", [] {
    const std::string cuda = cuda_backend_built() ? "cuda (" + std::to_string(cuda_device_count()) + " GPUs visible)" : "no cuda";
    return std::string("buildout ") + buildout_version() + " (backends: cpu, " + cuda + ")";
  });
  app.require_subcommand(1);

  RunOptions run;
  auto* run_cmd = app.add_subcommand("run", "Simulate paths and write summary.json, percentiles.csv, sites.csv, headline.md");
  run_cmd->add_option("CONFIG", run.config, "Scenario TOML (default: the built-in configs/base.toml)");
  add_simulation_options(run_cmd, run, "Number of paths (default: [run] paths)", "Random seed (default: [run] seed)", true);
  run_cmd->add_option("--max-memory", run.max_memory, "Refuse to start if the run needs more host memory (e.g. 8G)")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            try {
              buildout::parse_bytes(text);
              return "";
            } catch (const buildout::UserError& e) {
              return std::string(e.what()).substr(std::string("--max-memory: ").size());
            }
          },
          "BYTES"))
      ->each([&](const std::string&) { run.max_memory_set = true; });
  run_cmd->add_option("--percentiles", run.percentiles,
                      "exact: keep every path's results in memory | streaming: bounded memory, every path simulated 3 times; "
                      "both give the same bits | auto: exact when it fits --max-memory (default: a quarter of physical memory)")
      ->check(CLI::IsMember({"auto", "exact", "streaming"}))
      ->capture_default_str();
  run_cmd->add_option("--checkpoint", run.checkpoint,
                      "Write the run's state to this file every --checkpoint-every seconds and on SIGTERM or SIGUSR1 "
                      "(then exit 3); implies --percentiles streaming");
  run_cmd->add_option("--checkpoint-every", run.checkpoint_every_s, "Seconds between checkpoints")
      ->check(kNonNegativeSeconds)
      ->capture_default_str();
  run_cmd->add_option("--resume", run.resume, "Continue from this checkpoint (same config, seed, paths and version)");
  auto* target_se = run_cmd->add_option("--target-se", run.target_se,
                      "Stop once the standard error of --target-stat is at or below this for every player (checked every 8192 "
                      "paths), or at --paths")
      ->each([&](const std::string&) { run.target_se_set = true; });
  run_cmd->add_option("--sampler", run.sampler,
                      "philox: Monte Carlo | sobol: scrambled Sobol' points (quasi-Monte Carlo; each seed is another scramble)")
      ->check(CLI::IsMember({"philox", "sobol"}))
      ->capture_default_str();
  run_cmd->add_option("--target-stat", run.target_stat, "A probability (p_npv_positive, ...) or a metric column (npv_usd_b: its mean)")
      ->capture_default_str()
      ->needs(target_se);

  RunOptions backtest;
  std::string outcomes;
  auto* backtest_cmd = app.add_subcommand("backtest", "Place recorded outcomes in a config's distributions: backtest.csv, backtest.md");
  backtest_cmd->add_option("CONFIG", backtest.config, "Scenario TOML, usually as of an earlier data date")->required();
  backtest_cmd->add_option("OUTCOMES", outcomes, "Recorded outcomes TOML ([[outcomes]] tables)")->required();
  add_simulation_options(backtest_cmd, backtest, "Number of paths (default: [run] paths)", "Random seed (default: [run] seed)", false);

  RunOptions compare;
  std::vector<std::string> compare_configs;
  auto* compare_cmd = app.add_subcommand(
      "compare", "Run BASE and each OTHER on common random numbers and write their differences: deltas.csv, compare.md");
  compare_cmd->add_option("CONFIGS", compare_configs, "BASE.toml OTHER.toml [MORE.toml ...]")->required()->expected(2, -1);
  add_simulation_options(compare_cmd, compare, "Paths per scenario (default: the base's [run] paths)",
                         "Random seed for every scenario (default: the base's [run] seed)", true);

  RunOptions sensitivity;
  std::string sensitivity_method = "both", sensitivity_groups;
  auto* sensitivity_cmd = app.add_subcommand(
      "sensitivity", "Tornado and Sobol indices of each player's NPV by input group: tornado.csv, sobol.csv, sensitivity.md");
  sensitivity_cmd->add_option("CONFIG", sensitivity.config, "Scenario TOML (default: the built-in configs/base.toml)");
  sensitivity_cmd->add_option("--method", sensitivity_method, "tornado | sobol | both")
      ->check(CLI::IsMember({"tornado", "sobol", "both"}))
      ->capture_default_str();
  sensitivity_cmd->add_option("--groups", sensitivity_groups, "Comma-separated input groups (default: all; an unknown one lists them)");
  add_simulation_options(sensitivity_cmd, sensitivity, "Paths per run (default: 16384)", "Random seed (default: [run] seed)", true);

  std::string validate_config;
  auto* validate_cmd = app.add_subcommand("validate", "Check a config and print what the model holds");
  validate_cmd->add_option("CONFIG", validate_config, "Scenario TOML")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  // Under mpirun a failing rank ends every rank with its code, before anything is written.
  const auto fail = [&](int code) { return ranks.size() > 1 ? (ranks.abort(code), code) : code; };
  try {
    if (*run_cmd) return run_command(run);
    if (*backtest_cmd) return backtest_command(backtest, outcomes);
    if (*compare_cmd) return compare_command(compare, compare_configs);
    if (*sensitivity_cmd) return sensitivity_command(sensitivity, sensitivity_method, sensitivity_groups);
    return validate_command(validate_config);
  } catch (const RunStopped& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return fail(kExitStopped);
  } catch (const UserError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return fail(2);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "internal error: %s\n", e.what());
    return fail(1);
  }
}
