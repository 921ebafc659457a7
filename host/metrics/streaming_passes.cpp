#include "streaming_passes.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>

#include "host/config/config_error.hpp"
#include "host/engine/finite_results.hpp"

namespace buildout {

namespace {

// Ends a pass: over several ranks, rank 0 merges the others' summaries of this pass in rank order,
// one rank's at a time, finishes it and sends its state back, so every rank starts the next pass
// from the same one.
void finish_pass_on_ranks(const CompiledModel& m, std::uint64_t paths, int threads, Aggregator& agg, int pass, const Ranks& ranks) {
  if (ranks.size() == 1) {
    agg.finish_pass(pass);
    return;
  }
  ByteWriter mine;
  if (!ranks.root()) {
    mine.reserve(Aggregator::bytes(m));
    agg.save(mine);
  }
  std::unique_ptr<Aggregator> other;
  ranks.gather_each(mine.take(), [&](int r, std::string& bytes) {
    if (r == 0) return;
    if (!other) other = std::make_unique<Aggregator>(m, paths, threads);
    ByteReader reader(bytes.data(), bytes.size());
    other->load(reader);
    agg.merge(*other, pass);
  });
  other.reset();
  std::string state;
  if (ranks.root()) {
    agg.finish_pass(pass);
    ByteWriter w;
    w.reserve(Aggregator::bytes(m));
    agg.save(w);
    state = w.take();
  }
  ranks.broadcast(state);
  if (!ranks.root()) {
    ByteReader reader(state.data(), state.size());
    agg.load(reader);
  }
}

// Writes every rank's checkpoint entry, rank 0 into the file as each arrives. A failure to
// write is rank 0's to report; every rank learns of it, so that all stop alike. Returns the
// reason it failed, or an empty string.
std::string write_checkpoint_on_ranks(const StreamingControl& control, const CheckpointPosition& at, const Aggregator& agg, const Ranks& ranks) {
  std::unique_ptr<CheckpointWriter> writer;
  std::string failed;
  const auto attempt = [&](const auto& step) {
    if (!failed.empty()) return;
    try {
      step();
    } catch (const UserError& e) {
      failed = e.what();
      writer.reset();  // its temporary file goes with it
    }
  };
  if (ranks.root()) attempt([&] { writer = std::make_unique<CheckpointWriter>(control.checkpoint, control.identity, ranks.size()); });
  ranks.gather_each(checkpoint_entry(at, agg), [&](int, std::string& entry) { attempt([&] { writer->add(entry); }); });
  if (ranks.root()) attempt([&] { writer->commit(); });
  if (ranks.any_of(failed.empty() ? 0 : 1) && failed.empty()) failed = "rank 0 could not write it";
  return failed;
}

}  // namespace

Results aggregate_streaming(const CompiledModel& m, Backend& backend, std::uint64_t paths, std::uint64_t batch, int threads,
                            Progress* progress, const StreamingControl& control, StreamingTimes& times, const Ranks& ranks) {
  using clock = std::chrono::steady_clock;
  const auto seconds = [](clock::time_point a, clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
  if (ranks.size() > 1) {
    // Ranks launched with another config, seed or path count would merge nonsense: refuse.
    const CheckpointIdentity& id = control.identity;
    const std::string mine = id.version + " fnv1a64:" + id.config_hash + " seed " + std::to_string(id.seed) + " paths " + std::to_string(id.paths);
    const std::vector<std::string> all = ranks.gather(mine);
    for (size_t r = 1; r < all.size(); ++r)
      if (all[r] != mine) throw UserError("the ranks disagree: rank 0 runs " + mine + ", rank " + std::to_string(r) + " runs " + all[r]);
  }
  Aggregator agg(m, paths, threads);
  CheckpointPosition at;
  if (!control.resume.empty()) {
    std::uint64_t first = 0, end = paths;
    ranks.range(paths, kSummaryBlock, first, end);
    at = read_checkpoint(control.resume, control.identity, ranks.rank(), ranks.size(), first, end, agg);
    times.simulate_s = at.simulate_s;
    times.aggregate_s = at.aggregate_s;
  }
  batch = std::max<std::uint64_t>(1, std::min(batch, paths));
  // A backend that reduces batches where it computes them needs no host copy of the batch.
  const bool reduced = backend.reduces_batches();
  PathBuffers buf;
  if (!reduced) buf.resize(m, batch);
  BatchPlan plan;
  BatchPartials partials;
  auto last_checkpoint = clock::now();
  std::uint64_t lo = 0, hi = paths;
  ranks.range(paths, kSummaryBlock, lo, hi);
  // After every batch the ranks agree on three things, so that they make the same collective
  // calls: whether any has batches left, whether a stop was asked, whether a checkpoint is due.
  enum : int { kMore = 1, kStop = 2, kDue = 4 };
  try {
  for (int pass = at.pass; pass < kSummaryPasses; ++pass) {
    std::uint64_t next = pass == at.pass ? std::max(lo, std::min(hi, at.next_path)) : lo;
    for (;;) {
      if (next < hi) {
        const std::uint64_t first = next, n = std::min(batch, hi - first);
        const auto t0 = clock::now();
        if (reduced) {
          // Only the partials cross from the device; the plan is the aggregation's work.
          agg.plan(pass, first, n, plan);
          const auto t1 = clock::now();
          backend.run_reduced(first, n, batch, plan, partials);
          if (pass == 0) require_finite(m, first, partials.non_finite);
          const auto t2 = clock::now();
          agg.add_partials(pass, first, n, partials);
          times.simulate_s += seconds(t1, t2);
          times.aggregate_s += seconds(t0, t1) + seconds(t2, clock::now());
        } else {
          backend.run(first, n, buf);
          if (pass == 0) require_finite_results(m, buf, first, n);
          const auto t1 = clock::now();
          agg.add(pass, first, n, BatchColumns{buf.stride, buf.player_metrics.data(), buf.player_flags.data(), buf.site_ready_month.data(),
                                               buf.site_critical.data()});
          times.simulate_s += seconds(t0, t1);
          times.aggregate_s += seconds(t1, clock::now());
        }
        next = first + n;
        // Rank 0 shows the whole job: its share times the ranks (they run alike).
        if (progress) progress->update(pass * paths + std::min(paths, (next - lo) * ranks.size()));
      }
      const bool due = ranks.root() && !control.checkpoint.empty() && seconds(last_checkpoint, clock::now()) >= control.checkpoint_every_s;
      const int agreed = ranks.any_of((next < hi ? kMore : 0) | (control.stop && control.stop->load() ? kStop : 0) | (due ? kDue : 0));
      if (!control.checkpoint.empty() && (agreed & (kStop | kDue))) {
        const std::string failed = write_checkpoint_on_ranks(control, CheckpointPosition{pass, next, times.simulate_s, times.aggregate_s}, agg, ranks);
        last_checkpoint = clock::now();
        if (!failed.empty()) {
          // The run goes on from the checkpoint before (if any) when a periodic one fails; a stop cannot.
          if (agreed & kStop) throw UserError(failed + "; stopped by a signal with nothing saved");
          if (ranks.root()) std::fprintf(stderr, "warning: checkpoint not written, the run goes on: %s\n", failed.c_str());
        }
      }
      if (agreed & kStop)
        throw RunStopped("stopped by a signal in pass " + std::to_string(pass + 1) + " of " + std::to_string(kSummaryPasses) +
                         (control.checkpoint.empty() ? "; no --checkpoint, nothing saved" : "; resume with --resume " + control.checkpoint));
      if (!(agreed & kMore)) break;
    }
    const auto t0 = clock::now();
    finish_pass_on_ranks(m, paths, threads, agg, pass, ranks);
    times.aggregate_s += seconds(t0, clock::now());
  }
  } catch (const std::logic_error& e) {
    // A resumed state that passed every check on load but does not add up with the paths
    // simulated after it was forged or broken: the checkpoint's fault, not the engine's.
    if (control.resume.empty()) throw;
    throw UserError("--resume " + control.resume + ": corrupt (its state does not add up with the paths simulated after it: " + e.what() + ")");
  }
  if (progress) progress->finish();
  // The job's times are its slowest rank's: a rank may have had no paths at all (fewer blocks than ranks).
  times.simulate_s = ranks.max_of(times.simulate_s);
  times.aggregate_s = ranks.max_of(times.aggregate_s);
  return ranks.root() ? agg.results() : Results{};
}

}  // namespace buildout
