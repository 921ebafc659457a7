#include "simulate.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "finite_results.hpp"

namespace buildout {

namespace {

constexpr std::uint64_t kSaturated = ~std::uint64_t{0};
std::uint64_t add_sat(std::uint64_t a, std::uint64_t b) { return a > kSaturated - b ? kSaturated : a + b; }
std::uint64_t mul_sat(std::uint64_t a, std::uint64_t b) { return b != 0 && a > kSaturated / b ? kSaturated : a * b; }

}  // namespace

std::uint64_t resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long long size = 0, resident = 0;
  const int got = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  const long page = sysconf(_SC_PAGESIZE);
  return got == 2 && page > 0 ? mul_sat(resident, static_cast<std::uint64_t>(page)) : 0;
}

std::uint64_t peak_resident_bytes() {
  struct rusage u{};
  return getrusage(RUSAGE_SELF, &u) == 0 ? static_cast<std::uint64_t>(u.ru_maxrss) * 1024 : 0;  // Linux counts KiB
}

MemoryEstimate estimate_memory(const CompiledModel& m, std::uint64_t paths, std::uint64_t batch, std::uint64_t summaries, bool checkpointed,
                               int ranks) {
  MemoryEstimate e{};
  e.baseline = resident_bytes();
  e.kept_per_path = static_cast<std::uint64_t>(m.n_players()) * (m.n_player_metrics() * sizeof(float) + 1) + m.n_sites() * sizeof(float);
  e.batch_per_path = PathBuffers::bytes_per_path(m);
  e.batch = mul_sat(std::min(batch, paths), e.batch_per_path);
  e.summaries = summaries;
  // The state's bytes are at most the summaries' (Aggregator::bytes bounds both).
  e.transfer = ranks > 1 ? mul_sat(2, summaries) : checkpointed ? summaries : 0;
  e.streaming = add_sat(add_sat(e.baseline, summaries), add_sat(e.batch, e.transfer));
  // In memory the batch buffers are freed before the summaries are made.
  e.total = add_sat(add_sat(e.baseline, mul_sat(paths, e.kept_per_path)), std::max(e.batch, summaries));
  return e;
}

std::uint64_t default_batch(const Backend& backend, std::uint64_t paths) {
  // CPU: small enough for frequent progress; GPU: large enough to fill the device.
  const std::uint64_t batch = backend.kind() == BackendKind::Cuda ? (std::uint64_t{1} << 21) : (std::uint64_t{1} << 15);
  return std::min(batch, paths);
}

namespace {

// The first `paths` of each column of `columns` columns laid out at `stride`, packed.
template <class T>
void shrink_columns(std::vector<T>& v, int columns, std::uint64_t stride, std::uint64_t paths) {
  for (int c = 1; c < columns; ++c) std::memmove(v.data() + c * paths, v.data() + c * stride, paths * sizeof(T));
  v.resize(columns * paths);
  v.shrink_to_fit();
}

}  // namespace

PathResults simulate(const CompiledModel& m, Backend& backend, std::uint64_t paths, std::uint64_t batch, Progress* progress,
                     std::uint64_t progress_before, EarlyStop* early_stop) {
  PathResults r;
  r.paths = paths;
  r.n_players = m.n_players();
  r.n_sites = m.n_sites();
  r.player_metrics.resize(paths * m.n_player_metrics() * r.n_players);
  r.player_flags.resize(paths * r.n_players);
  r.site_ready_month.resize(paths * r.n_sites);
  for (int s = 0; s < r.n_sites; ++s) r.critical_counts.emplace_back(m.sites[s].n_activities, 0);

  batch = std::max<std::uint64_t>(1, std::min(batch, paths));
  PathBuffers buf;
  buf.resize(m, batch);
  std::uint64_t done = 0;
  while (done < paths) {
    std::uint64_t n = std::min(batch, paths - done);
    if (early_stop) n = std::min(n, early_stop->check_every - done % early_stop->check_every);  // end at the next check
    const std::uint64_t first = done;
    backend.run(first, n, buf);
    require_finite_results(m, buf, first, n);
    const auto gather = [&](auto* dst, const auto* src, int columns) {
      for (int c = 0; c < columns; ++c) std::memcpy(dst + c * paths + first, src + c * batch, n * sizeof(*src));
    };
    gather(r.player_metrics.data(), buf.player_metrics.data(), m.n_player_metrics() * r.n_players);
    gather(r.player_flags.data(), buf.player_flags.data(), r.n_players);
    gather(r.site_ready_month.data(), buf.site_ready_month.data(), r.n_sites);
    for (int s = 0; s < r.n_sites; ++s) {
      auto& counts = r.critical_counts[s];
      const std::uint64_t* masks = buf.site_critical.data() + s * batch;
      for (std::uint64_t i = 0; i < n; ++i)
        for (std::uint64_t bits = masks[i]; bits; bits &= bits - 1) ++counts[__builtin_ctzll(bits)];
    }
    done += n;
    if (progress) progress->update(progress_before + done);
    if (early_stop) {
      early_stop->add(buf, n);
      if (done % early_stop->check_every == 0 && done < paths && early_stop->met()) break;
    }
  }
  if (done < paths) {
    shrink_columns(r.player_metrics, m.n_player_metrics() * r.n_players, paths, done);
    shrink_columns(r.player_flags, r.n_players, paths, done);
    shrink_columns(r.site_ready_month, r.n_sites, paths, done);
    r.paths = done;
  }
  return r;
}

}  // namespace buildout
