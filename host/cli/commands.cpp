#include "commands.hpp"

#include <omp.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>

#include "host/config/config_error.hpp"
#include "host/engine/ranks.hpp"
#include "host/engine/simulate.hpp"
#include "host/metrics/aggregate.hpp"
#include "host/metrics/streaming_passes.hpp"
#include "host/metrics/target_se.hpp"
#include "host/model/compiled_model.hpp"
#include "host/model/sobol_sampler.hpp"
#include "host/report/output_files.hpp"
#include "host/io/output_file.hpp"
#include "host/report/backtest_report.hpp"
#include "host/report/reports.hpp"
#include "host/metrics/backtest.hpp"
#include "host/config/outcomes.hpp"

namespace buildout {
namespace {

constexpr const char* kBuiltinName = "<builtin>/base.toml";

std::string mib(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / 1048576.0);
  return buf;
}

}  // namespace

const char* buildout_version() { return BUILDOUT_VERSION; }

Config load_scenario(const std::string& path) {
  return path.empty() ? load_config_text(builtin_base_config(), kBuiltinName) : load_config_file(path);
}

std::uint64_t parse_bytes(const std::string& text) {
  const std::string expected = "--max-memory: expected a byte count such as 8000000000 or 8G, got \"" + text + "\"";
  const std::size_t digits = text.find_first_not_of("0123456789");
  if (digits == 0 || text.empty()) throw UserError(expected);  // no digits first: "", "-1", "G"
  unsigned long long v = 0;
  try {
    v = std::stoull(text.substr(0, digits));
  } catch (const std::exception&) {
    throw UserError("--max-memory: \"" + text + "\" is more bytes than 2^64");
  }
  const std::string suffix = digits == std::string::npos ? "" : text.substr(digits);
  int shift = 0;
  if (suffix == "K" || suffix == "KiB") shift = 10;
  else if (suffix == "M" || suffix == "MiB") shift = 20;
  else if (suffix == "G" || suffix == "GiB") shift = 30;
  else if (suffix == "T" || suffix == "TiB") shift = 40;
  else if (!suffix.empty() && suffix != "B")
    throw UserError("--max-memory: unknown suffix \"" + suffix + "\" in \"" + text + "\" (use K, M, G or T, powers of 1024)");
  if (v == 0) throw UserError("--max-memory: expected a limit above 0 bytes, got \"" + text + "\"");
  if (v > (~std::uint64_t{0} >> shift)) throw UserError("--max-memory: \"" + text + "\" is more bytes than 2^64");
  return static_cast<std::uint64_t>(v) << shift;
}

namespace {

// Everything a command that simulates needs: the config, its model, the
// paths, and the run's metadata (wall time still running).
struct SimulatedRun {
  Config cfg;
  CompiledModel model;
  PathResults paths;            // aggregation in memory: every path's results
  std::optional<Results> results;  // streaming: the statistics, made pass by pass
  RunInfo info;
  int threads = 0;
};

// Raised by SIGTERM or SIGUSR1 while a checkpointed run streams: it checkpoints and stops.
std::atomic<int> g_stop{0};
extern "C" void request_stop(int) { g_stop.store(1); }

// Host memory a run may use when --max-memory does not say: a quarter of the machine's.
std::uint64_t default_memory_limit() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) / 4 : std::uint64_t{1} << 32;
}

// `streaming_allowed`: the command needs only the statistics (not every path's results).
// `reports`: the files the command writes into --out, checked before anything is simulated.
// `check`: what else must hold of the model before anything is simulated.
SimulatedRun simulate_config(const RunOptions& opt, std::chrono::steady_clock::time_point t0, bool streaming_allowed,
                             const std::vector<std::string>& reports, const std::function<void(const CompiledModel&)>& check = {}) {
  const ProgressMode progress_mode = parse_progress_mode(opt.progress);
  SimulatedRun run;
  run.cfg = load_scenario(opt.config);
  const Config& cfg = run.cfg;
  const std::uint64_t paths = opt.paths ? opt.paths : cfg.run.paths;
  const std::uint64_t seed = opt.seed_set ? opt.seed : cfg.run.seed;
  run.model = compile_model(cfg, seed);
  if (opt.sampler == "sobol") {
    if (paths > (std::uint64_t{1} << 32)) throw UserError("--sampler sobol: at most 2^32 paths (its points are 32-bit)");
    use_sobol_sampler(run.model);
  }
  const CompiledModel& model = run.model;
  if (check) check(model);
  auto backend = make_backend(parse_device(opt.device), model, opt.threads);
  const std::uint64_t batch = std::min(paths, opt.batch ? opt.batch : cfg.run.batch ? cfg.run.batch : default_batch(*backend, paths));
  run.threads = opt.threads > 0 ? opt.threads : omp_get_num_procs();
  // Under mpirun every rank runs this; rank 0 alone speaks and writes.
  const Ranks& ranks = Ranks::world();
  const bool several = ranks.size() > 1;
  const bool checkpointed = !opt.checkpoint.empty() || !opt.resume.empty();
  const MemoryEstimate mem = estimate_memory(model, paths, batch, Aggregator::bytes(model), !opt.checkpoint.empty(), ranks.size());
  std::FILE* say = ranks.root() ? stderr : nullptr;
  if (several && !streaming_allowed) throw UserError("backtest keeps every path's results: run it as one process, without mpirun");
  if (several && opt.percentiles == "exact")
    throw UserError("--percentiles exact keeps every path in one process: under mpirun the ranks stream (--percentiles streaming or auto)");

  if (say) std::fprintf(say, "buildout %s: %s (fnv1a64:%s), %llu paths, seed %llu\n", buildout_version(), cfg.source.c_str(),
               cfg.hash.c_str(), static_cast<unsigned long long>(paths), static_cast<unsigned long long>(seed));
  const int owners = model.n_owners();
  // Which build of the path kernel runs tells a benchmark's reader which figures apply (docs/PERFORMANCE.md).
  const char* kernel = backend->compact_kernel() ? "compact path kernel" : "full path kernel: the model is past the compact one's bounds";
  if (say) std::fprintf(say, "backend %s (%s; %s), batch %llu; %d players and %d owner%s, %d schedule units, up to %d random numbers per path\n",
               backend->name().c_str(), backend->device().c_str(), kernel, static_cast<unsigned long long>(batch), model.n_players() - owners,
               owners, owners == 1 ? "" : "s", model.n_sites(), model.random_numbers_per_path());
  // Exact in memory, or streaming in bounded memory (the same statistics, every path simulated
  // kSummaryPasses times): as asked, or in memory when that fits the limit.
  const std::uint64_t limit = opt.max_memory_set ? parse_bytes(opt.max_memory) : default_memory_limit();
  if (checkpointed && opt.percentiles == "exact")
    throw UserError("--checkpoint and --resume need --percentiles streaming (a checkpoint holds the summaries, not every path)");
  const bool streaming = streaming_allowed && (several || checkpointed || opt.percentiles == "streaming" ||
                                               (opt.percentiles == "auto" && mem.total > limit));
  // Built before the first path, so that a bad statistic or target fails first.
  std::optional<TargetSe> target;
  if (opt.target_se_set) {
    target.emplace(model, opt.target_stat, opt.target_se);
    if (streaming)
      throw UserError(std::string("--target-se stops after the paths it needs, which the streaming passes cannot (") +
                      (several ? "mpirun" : checkpointed ? "--checkpoint" : opt.percentiles == "streaming" ? "--percentiles streaming" : "the paths do not fit --max-memory") +
                      "): run it in one process with the paths kept");
  }
  const std::uint64_t needed = streaming ? mem.streaming : mem.total;
  if (say) {
    if (several) std::fprintf(say, "ranks: %d, each simulating its share of the paths\n", ranks.size());
    if (streaming)
      std::fprintf(say, "memory estimate %s, streaming: every path simulated %d times, none kept: %s resident before + %s batch buffers + %s summaries%s%s\n",
                   mib(mem.streaming).c_str(), kSummaryPasses, mib(mem.baseline).c_str(), mib(mem.batch).c_str(), mib(mem.summaries).c_str(),
                   mem.transfer ? (" + " + mib(mem.transfer)).c_str() : "",
                   mem.transfer ? (several ? " to merge ranks" : " to write checkpoints") : "");
    else
      std::fprintf(say, "memory estimate %s: %s resident before + %llu B/path kept + the larger of %s batch buffers and %s summaries\n",
                   mib(mem.total).c_str(), mib(mem.baseline).c_str(), static_cast<unsigned long long>(mem.kept_per_path), mib(mem.batch).c_str(),
                   mib(mem.summaries).c_str());
  }
  if (opt.max_memory_set && needed > limit)
    throw UserError("--max-memory " + opt.max_memory + ": this run needs about " + mib(needed) + " (" + std::to_string(needed) +
                    " bytes) but the limit is " + mib(limit) + "; lower --batch" +
                    (streaming ? std::string() : streaming_allowed ? ", or --percentiles streaming (bounded memory)" : " or --paths"));

  // Where the run will write is checked before it simulates: a folder that cannot be written,
  // or a device or a link where a report or the checkpoint goes, fails now, not after hours.
  if (ranks.root()) check_output_folder(opt.out, reports);
  std::optional<FileLock> checkpoint_lock;  // two runs writing one checkpoint would undo each other
  if (!opt.checkpoint.empty() && ranks.root()) {
    check_checkpoint_path(opt.checkpoint);
    checkpoint_lock.emplace(folder_of(opt.checkpoint) + "/." + std::filesystem::path(opt.checkpoint).filename().string() + ".lock",
                            "--checkpoint", false);
  }

  const auto t_sim = std::chrono::steady_clock::now();
  double simulate_s = 0, aggregate_s = 0;
  if (streaming) {
    Progress progress(ranks.root() ? progress_mode : ProgressMode::None, kSummaryPasses * paths);
    StreamingControl control;
    control.checkpoint = opt.checkpoint;
    control.checkpoint_every_s = opt.checkpoint_every_s;
    control.resume = opt.resume;
    control.identity = CheckpointIdentity{buildout_version(), cfg.hash, seed, paths, opt.sampler};
    if (!opt.checkpoint.empty()) {
      std::signal(SIGTERM, request_stop);
      std::signal(SIGUSR1, request_stop);
      control.stop = &g_stop;
    }
    StreamingTimes times;
    run.results = aggregate_streaming(model, *backend, paths, batch, run.threads, &progress, control, times, ranks);
    simulate_s = times.simulate_s;
    aggregate_s = times.aggregate_s;
  } else {
    Progress progress(progress_mode, paths);
    EarlyStop stop;
    if (target) stop = target->early_stop();
    run.paths = simulate(model, *backend, paths, batch, &progress, 0, target ? &stop : nullptr);
    progress.finish();
    simulate_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_sim).count();
  }

  RunInfo& info = run.info;
  info.version = buildout_version();
  info.config_source = cfg.source;
  info.config_hash = cfg.hash;
  info.backend = backend->name();
  info.device = backend->device();
  info.seed = seed;
  info.paths = streaming ? paths : run.paths.paths;
  info.paths_asked = paths;
  info.sampler = opt.sampler;
  info.batch = batch;
  if (target) {
    info.target_stat = target->statistic();
    info.target_se = target->target();
    info.achieved_se = target->widest();
    info.stopped_by = info.paths < paths || target->met() ? "target_se" : "paths";
  }
  info.threads = backend->kind() == BackendKind::Cpu ? run.threads : 0;
  info.random_numbers_per_path = model.random_numbers_per_path();
  info.horizon_months = model.months;
  info.valuation = model.valuation;
  info.data_date = model.data_date;
  info.memory_estimate_bytes = needed;
  info.aggregation = streaming ? "streaming" : "memory";
  info.ranks = ranks.size();
  info.passes = streaming ? kSummaryPasses : 1;
  info.simulate_s = simulate_s;
  info.aggregate_s = aggregate_s;
  info.paths_per_s = simulate_s > 0 ? static_cast<double>(info.passes) * info.paths / simulate_s : 0.0;
  info.peak_rss_bytes = static_cast<std::uint64_t>(ranks.max_of(static_cast<double>(peak_resident_bytes())));
  info.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return run;
}

const std::vector<std::string> kRunReports = {"summary.json", "percentiles.csv", "sites.csv", "headline.md"};

// What a report set's manifest says of the run that made it.
std::vector<std::string> manifest_header(const RunInfo& info) {
  return {"buildout " + info.version, "config " + info.config_source + " (fnv1a64:" + info.config_hash + ")",
          "seed " + std::to_string(info.seed) + ", " + std::to_string(info.paths) + " paths, sampler " + info.sampler};
}

void report_written(const RunInfo& info, const std::vector<std::string>& written) {
  const std::string times = info.passes > 1 ? " " + std::to_string(info.passes) + " times" : "";
  std::fprintf(stderr, "simulated %llu paths%s in %.2f s (%.0f paths/s); wall time %.2f s\n", static_cast<unsigned long long>(info.paths),
               times.c_str(), info.simulate_s, info.paths_per_s, info.wall_s);
  if (info.aggregate_s > 0 || info.write_s > 0)
    std::fprintf(stderr, "time: simulate %.2f s (%d pass%s), aggregate %.2f s, write %.2f s\n", info.simulate_s, info.passes,
                 info.passes == 1 ? "" : "es", info.aggregate_s, info.write_s);
  for (const auto& w : written) std::fprintf(stderr, "wrote %s\n", w.c_str());
}

}  // namespace

int run_command(const RunOptions& opt) {
  const auto t0 = std::chrono::steady_clock::now();
  SimulatedRun run = simulate_config(opt, t0, true, with_manifest("run", kRunReports));
  if (!Ranks::world().root()) return 0;  // rank 0 merged every rank's summaries and writes the reports
  RunInfo& info = run.info;
  if (!run.results) {
    const auto t_agg = std::chrono::steady_clock::now();
    run.results = aggregate(run.model, run.paths, run.threads);
    info.aggregate_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_agg).count();
    info.peak_rss_bytes = peak_resident_bytes();  // the kept paths and the summaries together
  }
  const Results& results = *run.results;
  const auto t_write = std::chrono::steady_clock::now();
  info.wall_s = std::chrono::duration<double>(t_write - t0).count();

  // Wall time and throughput vary run to run, so they live only in summary.json;
  // the CSV and Markdown reports are byte-identical for a given seed.
  OutputFiles files("run", manifest_header(info));
  files.add("summary.json", render_summary_json(info, results));
  files.add("percentiles.csv", render_percentiles_csv(results));
  files.add("sites.csv", render_sites_csv(info, results));
  const std::string headline = render_headline_md(info, results);
  files.add("headline.md", headline);
  const auto written = files.commit(opt.out);
  info.write_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_write).count();

  std::cout << headline << std::flush;
  report_written(info, written);
  return 0;
}

int backtest_command(const RunOptions& opt, const std::string& outcomes_path) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<Outcome> outcomes = load_outcomes_file(outcomes_path);  // bad outcomes fail before the simulation
  SimulatedRun run = simulate_config(opt, t0, false, with_manifest("backtest", {"backtest.csv", "backtest.md"}),
                                     [&](const CompiledModel& m) { check_outcomes(m, outcomes); });
  const std::vector<BacktestRow> rows = backtest(run.model, run.paths, outcomes);
  OutputFiles files("backtest", manifest_header(run.info));
  files.add("backtest.csv", render_backtest_csv(run.info.valuation, rows));
  const std::string table = render_backtest_md(run.info, rows);
  files.add("backtest.md", table);
  const auto written = files.commit(opt.out);
  std::cout << table << std::flush;
  report_written(run.info, written);
  return 0;
}

int validate_command(const std::string& path) {
  const Config cfg = load_scenario(path);
  const CompiledModel m = compile_model(cfg, cfg.run.seed);
  std::printf("config %s (fnv1a64:%s): OK\n", cfg.source.c_str(), cfg.hash.c_str());
  std::printf("run: valuation %s, data date %s, horizon %d months, %llu paths, seed %llu\n", cfg.run.valuation.str().c_str(), cfg.run.data_date.str().c_str(), cfg.run.horizon_months,
              static_cast<unsigned long long>(cfg.run.paths), static_cast<unsigned long long>(cfg.run.seed));
  std::printf("report columns:");
  for (int k = kFixedPlayerMetrics; k < m.n_player_metrics(); ++k) std::printf(" %s", m.player_columns[k].name.c_str());
  std::printf("\nfactors: %zu:", cfg.factor_names.size());
  for (const auto& f : cfg.factor_names) std::printf(" %s", f.c_str());
  const int owners = m.n_owners();
  std::printf("\nplayers: %d, owners: %d\n", m.n_players() - owners, owners);
  for (const auto& p : cfg.players) {
    int n = 0;
    for (const auto& s : cfg.sites) n += cfg.players[s.player].id == p.id;
    if (p.is_owner)
      std::printf("  %-12s %-22s %d schedule unit%s, WACC mean %.3f, owner\n", p.id.c_str(), p.name.c_str(), n, n == 1 ? "" : "s", p.wacc.mean());
    else
      std::printf("  %-12s %-22s %d schedule unit%s, WACC mean %.3f, frontier threshold %.0f H100-eq\n", p.id.c_str(), p.name.c_str(), n,
                  n == 1 ? "" : "s", p.wacc.mean(), p.frontier_threshold_h100eq);
    if (p.programme.present) {
      int reported = 0;
      for (const auto& c : p.programme.periods) reported += c.actual;
      std::printf("  %-12s programme: AI share %.2f, capex basis %s, %d reported and %d guided periods, %s at $%.1fB/GW\n", "",
                  p.programme.ai_share, p.programme.capex_basis.c_str(), reported, static_cast<int>(p.programme.periods.size()) - reported,
                  cfg.accelerators[p.programme.accelerator].id.c_str(), p.programme.usd_b_per_gw.mean());
      if (p.programme.finance_lease_share > 0)
        std::printf("  %-12s %.1f%% of it under finance leases, paid over %.0f years at %.1f%%\n", "", 100 * p.programme.finance_lease_share,
                    p.programme.finance_lease_term_years, 100 * p.programme.finance_lease_rate);
    }
    if (p.customers.present)
      std::printf("  %-12s customers' ceiling: backlog $%.0fB (AI share %.2f, over %.0f months), spend $%.1fB a year\n", "",
                  p.customers.backlog_usd_b.mean(), p.customers.backlog_ai_share.mean(), p.customers.backlog_months.mean(),
                  p.customers.spend_usd_b_per_year.mean());
    for (const auto& r : p.releases)
      std::printf("  %-12s released %s (%s), %s\n", "", r.model.c_str(), r.date.str().c_str(), r.unlocked ? "unlocked new revenue" : "no new revenue");
  }
  int activities = 0;
  std::printf("schedule units (sites and phases): %zu\n", cfg.sites.size());
  for (const auto& s : cfg.sites) {
    activities += static_cast<int>(s.network.activities.size());
    const std::string when = s.online_actual ? "online " + s.online_date.str() + " (reported)" : "planned ready " + s.planned_ready.str();
    std::printf("  %-32s %-10s %-5s %6.0f MW %9.0f x %-9s template %-11s %2zu activities, %2zu risk events, %s\n", s.id.c_str(),
                cfg.players[s.player].id.c_str(), s.own ? "own" : "lease", s.it_mw, s.accelerator_count,
                cfg.accelerators[s.accelerator].id.c_str(), s.template_name.c_str(), s.network.activities.size(), s.network.risks.size(),
                when.c_str());
  }
  std::printf("activities: %d, risk events: %d\n", activities, m.n_risk_events);
  if (!cfg.contracts.empty()) std::printf("contracts: %zu\n", cfg.contracts.size());
  for (const auto& c : cfg.contracts) {
    const std::string price = c.market_price ? std::string("the market price") : "$" + std::to_string(c.price_usd_per_h100eq_hour.mean()).substr(0, 4) + " per H100-eq hour";
    std::printf("  %-24s %s buys %.0f%% of %s from %s at %s for %.0f months\n", c.id.c_str(), cfg.players[c.buyer].id.c_str(), 100 * c.share,
                c.site.c_str(), cfg.players[c.seller].id.c_str(), price.c_str(), c.term_months);
  }
  std::printf("draws per path: %zu draws (%d random), %d factors: up to %d random numbers per path\n", m.draws.size(),
              m.random_numbers_per_path() - m.n_factors, m.n_factors, m.random_numbers_per_path());
  return 0;
}

}  // namespace buildout
