// `buildout compare` and `buildout sensitivity`: several runs of variants of a
// model on common random numbers, every path's results kept (one process).
#include <chrono>
#include <cstdio>
#include <iostream>

#include "host/analysis/input_groups.hpp"
#include "host/analysis/paired_deltas.hpp"
#include "host/analysis/sensitivity.hpp"
#include "host/config/config_error.hpp"
#include "host/engine/backend.hpp"
#include "host/engine/ranks.hpp"
#include "host/engine/simulate.hpp"
#include "host/model/compiled_model.hpp"
#include "host/report/analysis_reports.hpp"
#include "host/report/output_files.hpp"
#include "commands.hpp"

namespace buildout {
namespace {

void require_one_process(const char* command) {
  if (Ranks::world().size() > 1)
    throw UserError(std::string(command) + " keeps every path's results of each run: run it as one process, without mpirun");
}

// Runs model variants one after another under one progress line.
class VariantRunner {
 public:
  VariantRunner(const RunOptions& opt, std::uint64_t paths, int runs)
      : opt_(opt), paths_(paths), progress_(parse_progress_mode(opt.progress), paths * runs) {}

  PathResults run(const CompiledModel& m) {
    auto backend = make_backend(parse_device(opt_.device), m, opt_.threads);
    const std::uint64_t batch = std::min(paths_, opt_.batch ? opt_.batch : default_batch(*backend, paths_));
    if (done_ == 0) backend_name_ = backend->name() + " (" + backend->device() + ")";
    PathResults r = simulate(m, *backend, paths_, batch, &progress_, done_);
    done_ += paths_;
    return r;
  }
  void finish() { progress_.finish(); }
  const std::string& backend() const { return backend_name_; }

 private:
  const RunOptions& opt_;
  std::uint64_t paths_, done_ = 0;
  Progress progress_;
  std::string backend_name_;
};

std::string display_name(const std::string& path) { return path.empty() ? "<builtin>/base.toml" : path; }

void report_done(const std::vector<std::string>& written, double seconds, std::uint64_t paths) {
  std::fprintf(stderr, "simulated %llu paths; wall time %.2f s with the analysis\n", static_cast<unsigned long long>(paths), seconds);
  for (const auto& w : written) std::fprintf(stderr, "wrote %s\n", w.c_str());
}

}  // namespace

int compare_command(const RunOptions& opt, const std::vector<std::string>& configs) {
  require_one_process("compare");
  const auto t0 = std::chrono::steady_clock::now();
  // Everything is loaded and checked before the first path is simulated.
  const Config base_cfg = load_scenario(configs.front());
  const std::uint64_t seed = opt.seed_set ? opt.seed : base_cfg.run.seed;
  const std::uint64_t paths = opt.paths ? opt.paths : base_cfg.run.paths;
  const CompiledModel base_m = compile_model(base_cfg, seed);
  std::vector<CompiledModel> others;
  for (std::size_t k = 1; k < configs.size(); ++k) {
    const Config cfg = load_scenario(configs[k]);
    if (cfg.run.valuation.index() != base_cfg.run.valuation.index())
      throw UserError("compare: " + cfg.source + " values as of " + cfg.run.valuation.str() + " but " + base_cfg.source + " as of " +
                      base_cfg.run.valuation.str() + ": months would count from different dates");
    others.push_back(compile_model(cfg, seed));
    require_same_players(base_m, base_cfg.source, others.back(), cfg.source);
  }
  check_output_folder(opt.out, with_manifest("compare", {"deltas.csv", "compare.md"}));
  std::fprintf(stderr, "buildout %s: compare %zu scenario%s against %s, %llu paths each, seed %llu (the base's; the others' [run] seeds are not used)\n",
               buildout_version(), others.size(), others.size() == 1 ? "" : "s", base_cfg.source.c_str(),
               static_cast<unsigned long long>(paths), static_cast<unsigned long long>(seed));

  VariantRunner runner(opt, paths, static_cast<int>(configs.size()));
  const PathResults base = runner.run(base_m);
  std::vector<ScenarioDeltas> scenarios;
  for (std::size_t k = 0; k < others.size(); ++k) {
    const PathResults other = runner.run(others[k]);
    scenarios.push_back(ScenarioDeltas{display_name(configs[k + 1]), paired_deltas(base_m, base, others[k], other)});
  }
  runner.finish();

  ComparisonInfo info;
  info.base = display_name(configs.front());
  info.paths = paths;
  info.seed = seed;
  info.player_ids = base_m.player_ids;
  info.player_names = base_m.player_names;
  OutputFiles files("compare", {"buildout " + std::string(buildout_version()), "base " + info.base + " (fnv1a64:" + base_cfg.hash + ")",
                                "seed " + std::to_string(seed) + ", " + std::to_string(paths) + " paths a scenario"});
  files.add("deltas.csv", render_deltas_csv(scenarios));
  const std::string md = render_compare_md(info, scenarios);
  files.add("compare.md", md);
  const auto written = files.commit(opt.out);
  std::cout << md << std::flush;
  report_done(written, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), paths * configs.size());
  return 0;
}

int sensitivity_command(const RunOptions& opt, const std::string& method, const std::string& group_names) {
  require_one_process("sensitivity");
  const auto t0 = std::chrono::steady_clock::now();
  const Config cfg = load_scenario(opt.config);
  const std::uint64_t seed = opt.seed_set ? opt.seed : cfg.run.seed;
  const std::uint64_t paths = opt.paths ? opt.paths : kSensitivityDefaultPaths;
  const CompiledModel m = compile_model(cfg, seed);
  const std::vector<InputGroup> groups = select_input_groups(m, group_names);
  const bool run_tornado = method != "sobol", run_sobol = method != "tornado";
  int held = 0;
  for (const auto& g : groups) held += !g.draws.empty();
  const int runs = (run_tornado ? 1 + 2 * held : 0) + (run_sobol ? 2 + static_cast<int>(groups.size()) : 0);
  std::vector<std::string> reports;
  if (run_tornado) reports.push_back("tornado.csv");
  if (run_sobol) reports.push_back("sobol.csv");
  reports.push_back("sensitivity.md");
  check_output_folder(opt.out, with_manifest("sensitivity", reports));
  std::fprintf(stderr, "buildout %s: sensitivity of %s, %zu input groups, %d runs of %llu paths, seed %llu\n", buildout_version(),
               cfg.source.c_str(), groups.size(), runs, static_cast<unsigned long long>(paths), static_cast<unsigned long long>(seed));

  VariantRunner runner(opt, paths, runs);
  const SimulateVariant simulate_variant = [&](const CompiledModel& variant) { return runner.run(variant); };
  TornadoResults tornado_results;
  std::vector<SobolRow> sobol_rows;
  if (run_tornado) tornado_results = tornado(m, groups, simulate_variant);
  if (run_sobol) sobol_rows = sobol(m, groups, simulate_variant);
  runner.finish();

  SensitivityInfo info;
  info.config = cfg.source;
  info.paths = paths;
  info.seed = seed;
  info.runs = runs;
  info.player_ids = m.player_ids;
  info.player_names = m.player_names;
  for (const auto& g : groups) info.groups.push_back(g.name);
  OutputFiles files("sensitivity", {"buildout " + std::string(buildout_version()), "config " + cfg.source + " (fnv1a64:" + cfg.hash + ")",
                                    "seed " + std::to_string(seed) + ", " + std::to_string(runs) + " runs of " + std::to_string(paths) + " paths"});
  if (run_tornado) files.add("tornado.csv", render_tornado_csv(tornado_results));
  if (run_sobol) files.add("sobol.csv", render_sobol_csv(sobol_rows));
  const std::string md = render_sensitivity_md(info, run_tornado ? &tornado_results : nullptr, run_sobol ? &sobol_rows : nullptr);
  files.add("sensitivity.md", md);
  const auto written = files.commit(opt.out);
  std::cout << md << std::flush;
  report_done(written, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), paths * runs);
  return 0;
}

}  // namespace buildout
