#include "streaming_passes.hpp"

#include <algorithm>
#include <chrono>

#include "../engine/finite_results.hpp"

namespace buildout {

Results aggregate_streaming(const CompiledModel& m, Backend& backend, std::uint64_t paths, std::uint64_t batch, int threads,
                            Progress* progress, const StreamingControl& control, StreamingTimes& times) {
  using clock = std::chrono::steady_clock;
  const auto seconds = [](clock::time_point a, clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
  Aggregator agg(m, paths, threads);
  CheckpointPosition at;
  if (!control.resume.empty()) {
    at = read_checkpoint(control.resume, control.identity, agg);
    times.simulate_s = at.simulate_s;
    times.aggregate_s = at.aggregate_s;
  }
  batch = std::max<std::uint64_t>(1, std::min(batch, paths));
  PathBuffers buf;
  buf.resize(m, batch);
  auto last_checkpoint = clock::now();
  for (int pass = at.pass; pass < kSummaryPasses; ++pass) {
    for (std::uint64_t first = pass == at.pass ? at.next_path : 0; first < paths; first += batch) {
      const std::uint64_t n = std::min(batch, paths - first);
      const auto t0 = clock::now();
      backend.run(first, n, buf);
      if (pass == 0) require_finite_results(m, buf, first, n);
      const auto t1 = clock::now();
      agg.add(pass, first, n, BatchColumns{buf.stride, buf.player_metrics.data(), buf.player_flags.data(), buf.site_ready_month.data(),
                                           buf.site_critical.data()});
      const auto t2 = clock::now();
      times.simulate_s += seconds(t0, t1);
      times.aggregate_s += seconds(t1, t2);
      if (progress) progress->update(pass * paths + first + n);
      const bool stopping = control.stop && control.stop->load() != 0;
      if (!control.checkpoint.empty() && (stopping || seconds(last_checkpoint, t2) >= control.checkpoint_every_s)) {
        write_checkpoint(control.checkpoint, control.identity, CheckpointPosition{pass, first + n, times.simulate_s, times.aggregate_s}, agg);
        last_checkpoint = clock::now();
      }
      if (stopping)
        throw RunStopped("stopped by a signal after " + std::to_string(pass * paths + first + n) + " of " +
                         std::to_string(kSummaryPasses * paths) + " path passes" +
                         (control.checkpoint.empty() ? "; no --checkpoint, nothing saved" : "; resume with --resume " + control.checkpoint));
    }
    const auto t0 = clock::now();
    agg.finish_pass(pass);
    times.aggregate_s += seconds(t0, clock::now());
  }
  if (progress) progress->finish();
  return agg.results();
}

}  // namespace buildout
