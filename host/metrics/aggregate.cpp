#include "aggregate.hpp"

#include <omp.h>

#include <algorithm>
#include <stdexcept>

#include "host/engine/parallel_errors.hpp"

namespace buildout {

namespace {

// A row's ready months for the batch's paths: a unit's own, or the earliest or latest of its units'.
void row_ready(const SiteRow& row, const BatchColumns& b, std::uint64_t n, std::vector<float>& out) {
  const float* first = b.site_ready_month + row.units[0] * b.stride;
  out.assign(first, first + n);
  for (size_t u = 1; u < row.units.size(); ++u) {
    const float* other = b.site_ready_month + row.units[u] * b.stride;
    for (std::uint64_t i = 0; i < n; ++i)
      out[i] = row.combine == SiteRow::FirstPhase ? std::min(out[i], other[i]) : std::max(out[i], other[i]);
  }
}

}  // namespace

BatchColumns columns_from(const PathResults& r, std::uint64_t first) {
  return BatchColumns{r.paths, r.player_metrics.data() + first, r.player_flags.data() + first, r.site_ready_month.data() + first, nullptr};
}

std::vector<float> site_row_ready(const CompiledModel& m, const PathResults& r, int row_index) {
  std::vector<float> values;
  row_ready(m.site_rows[row_index], columns_from(r, 0), r.paths, values);
  return values;
}

Aggregator::Aggregator(const CompiledModel& m, std::uint64_t paths, int threads)
    : m_(m), paths_(paths), threads_(threads > 0 ? threads : omp_get_num_procs()) {
  const int columns = m.n_player_metrics() * m.n_players() + 2 * static_cast<int>(m.site_rows.size());
  columns_.reserve(columns);
  for (int c = 0; c < columns; ++c) columns_.emplace_back(paths);
  hits_.assign(m.n_players(), {});
  on_time_.assign(m.site_rows.size(), 0);
  for (int s = 0; s < m.n_sites(); ++s) critical_.emplace_back(m.sites[s].n_activities, 0);
}

std::uint64_t Aggregator::bytes(const CompiledModel& m) {
  // Per column: pass 0's 4096 counts and at most 21 prefixes of 1024 counts in passes 1 and 2,
  // plus the blocks in flight (a few).
  const std::uint64_t per_column = sizeof(ColumnSummary) + 21 * 1024 * sizeof(std::uint64_t) + 4 * 64;
  return (static_cast<std::uint64_t>(m.n_player_metrics()) * m.n_players() + 2 * m.site_rows.size()) * per_column;
}

void Aggregator::add_site_row(int pass, std::uint64_t first, std::uint64_t n, const BatchColumns& b, int s, std::vector<float>& ready,
                              std::vector<float>& slip) {
  const int player_columns = m_.n_player_metrics() * m_.n_players();
  const SiteRow& row = m_.site_rows[s];
  row_ready(row, b, n, ready);
  slip.resize(n);
  for (std::uint64_t i = 0; i < n; ++i) slip[i] = static_cast<float>(ready[i] - row.planned_ready_month);
  columns_[player_columns + 2 * s].add(pass, first, ready.data(), n);
  columns_[player_columns + 2 * s + 1].add(pass, first, slip.data(), n);
  if (pass == 0)
    for (std::uint64_t i = 0; i < n; ++i) on_time_[s] += ready[i] <= row.planned_ready_month;
}

void Aggregator::add(int pass, std::uint64_t first, std::uint64_t n, const BatchColumns& b) {
  const int P = m_.n_players(), player_columns = m_.n_player_metrics() * P, S = static_cast<int>(m_.site_rows.size());
  // One task per player column and one per site row (its ready and slip columns); each column's
  // values go in path order, so the threads' split does not matter.
  ParallelErrors errors;
#pragma omp parallel num_threads(threads_)
  {
    std::vector<float> ready, slip;
#pragma omp for schedule(dynamic, 1)
    for (int c = 0; c < player_columns + S; ++c)
      errors.run([&] {
        if (c < player_columns) columns_[c].add(pass, first, b.player_metrics + c * b.stride, n);
        else add_site_row(pass, first, n, b, c - player_columns, ready, slip);
      });
  }
  errors.rethrow();
  if (pass != 0) return;
  for (int p = 0; p < P; ++p) {
    const std::uint8_t* flags = b.player_flags + p * b.stride;
    for (std::uint64_t i = 0; i < n; ++i)
      for (int k = 0; k < kPlayerProbabilities; ++k) hits_[p][k] += (flags[i] >> k) & 1u;
  }
  if (b.site_critical)
    for (int u = 0; u < m_.n_sites(); ++u) {
      const std::uint64_t* masks = b.site_critical + u * b.stride;
      for (std::uint64_t i = 0; i < n; ++i)
        for (std::uint64_t bits = masks[i]; bits; bits &= bits - 1) ++critical_[u][__builtin_ctzll(bits)];
    }
}

void Aggregator::plan(int pass, std::uint64_t first, std::uint64_t n, BatchPlan& out) {
  const int C = m_.n_player_metrics() * m_.n_players();
  out.pass = pass;
  out.first_slot.assign(pass == 0 ? 0 : static_cast<std::size_t>(C) * kTopBins, 0);
  out.prefixes.assign(static_cast<std::size_t>(C) * kMaxPrefixes, 0);
  out.n_prefixes.assign(C, 0);
  out.tail_prefix.assign(C, 0);
  out.moments_before.assign(C, Moments{});
  out.tail_before.assign(C, 0.0);
  int most = 1;
  for (int c = 0; c < C; ++c) {
    ColumnSummary& column = columns_[c];
    const ColumnPass counted = column.pass_view(pass);
    if (counted.n_prefixes > kMaxPrefixes) throw std::logic_error("Aggregator: more prefixes than kMaxPrefixes");
    out.n_prefixes[c] = counted.n_prefixes;
    most = std::max(most, counted.n_prefixes);
    std::copy(counted.prefixes, counted.prefixes + counted.n_prefixes, out.prefixes.begin() + c * kMaxPrefixes);
    if (pass != 0) std::copy(counted.first_slot, counted.first_slot + kTopBins, out.first_slot.begin() + c * kTopBins);
    if (n == 0) continue;
    if (pass == 0) out.moments_before[c] = column.moments_before(first);
    if (pass == 2) {
      out.tail_prefix[c] = column.tail_prefix();
      out.tail_before[c] = column.tail_before(first);
    }
  }
  out.count_stride = pass == 0 ? kTopBins : most * kDigitBins;
}

void Aggregator::add_partials(int pass, std::uint64_t first, std::uint64_t n, const BatchPartials& p) {
  const int P = m_.n_players(), player_columns = m_.n_player_metrics() * P, S = static_cast<int>(m_.site_rows.size());
  const std::uint64_t count_stride = p.counts.size() / player_columns;
  const BatchColumns sites{p.sites.stride, nullptr, nullptr, p.sites.site_ready_month.data(), nullptr};
  ParallelErrors errors;
#pragma omp parallel num_threads(threads_)
  {
    std::vector<float> ready, slip;
#pragma omp for schedule(dynamic, 1)
    for (int c = 0; c < player_columns + S; ++c)
      errors.run([&] {
        if (c < player_columns)
          columns_[c].add_partials(pass, first, n, p.counts.data() + c * count_stride,
                                   pass == 0 ? p.run_moments.data() + c * p.runs : nullptr, pass == 2 ? p.run_tails.data() + c * p.runs : nullptr);
        else
          add_site_row(pass, first, n, sites, c - player_columns, ready, slip);
      });
  }
  errors.rethrow();
  if (pass != 0) return;
  for (int q = 0; q < P; ++q)
    for (int k = 0; k < kPlayerProbabilities; ++k) hits_[q][k] += p.hits[q * kMaxFlagBits + k];
  for (int u = 0; u < m_.n_sites(); ++u)
    for (size_t a = 0; a < critical_[u].size(); ++a) critical_[u][a] += p.critical_counts[u * kMaxActivities + a];
}

void Aggregator::finish_pass(int pass) {
  ParallelErrors errors;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads_)
  for (int c = 0; c < static_cast<int>(columns_.size()); ++c) errors.run([&] { columns_[c].finish_pass(pass); });
  errors.rethrow();
}

Results Aggregator::results(const std::vector<std::vector<std::uint64_t>>* critical_counts) const {
  const CompiledModel& m = m_;
  const std::uint64_t n = paths_;
  const int P = m.n_players(), S = static_cast<int>(m.site_rows.size()), K = m.n_player_metrics();
  Results out;
  out.players.resize(P);
  out.player_columns = m.player_columns;
  out.capex_window_labels = m.capex_window_labels;
  out.required_revenue_margin = m.required_revenue_margin;
  out.sites.resize(S);
  const auto& critical = critical_counts ? *critical_counts : critical_;
  for (int p = 0; p < P; ++p) {
    PlayerResult& pr = out.players[p];
    pr.id = m.player_ids[p];
    pr.name = m.player_names[p];
    pr.entity = m.player_entities[p];
    pr.is_owner = m.players[p].is_owner != 0;
    pr.books = m.books[p];
    pr.metrics.resize(K);
    for (int k = 0; k < K; ++k) pr.metrics[k] = columns_[k * P + p].summary();
    for (int k = 0; k < kPlayerProbabilities; ++k) pr.probabilities[k] = wilson(hits_[p][k], n);
  }
  for (int s = 0; s < S; ++s) {
    const SiteRow& row = m.site_rows[s];
    SiteResult& site = out.sites[s];
    site.id = row.id;
    site.name = row.name;
    site.player = m.player_ids[row.player];
    site.planned_ready_month = row.planned_ready_month;
    site.ready_by_plan = wilson(on_time_[s], n);
    site.ready_month = columns_[K * P + 2 * s].summary();
    site.slip_months = columns_[K * P + 2 * s + 1].summary();
    if (row.combine != SiteRow::Unit) continue;  // criticality is a unit's: its own network
    const int u = row.units[0];
    for (size_t a = 0; a < m.activity_ids[u].size(); ++a)
      site.criticality.push_back({m.activity_ids[u][a], n ? static_cast<double>(critical[u][a]) / n : 0.0});
  }
  return out;
}

void Aggregator::merge(const Aggregator& other, int pass) {
  for (size_t c = 0; c < columns_.size(); ++c) columns_[c].merge(other.columns_[c], pass);
  if (pass != 0) return;
  for (size_t p = 0; p < hits_.size(); ++p)
    for (int k = 0; k < kPlayerProbabilities; ++k) hits_[p][k] += other.hits_[p][k];
  for (size_t s = 0; s < on_time_.size(); ++s) on_time_[s] += other.on_time_[s];
  for (size_t u = 0; u < critical_.size(); ++u)
    for (size_t a = 0; a < critical_[u].size(); ++a) critical_[u][a] += other.critical_[u][a];
}

void Aggregator::save(ByteWriter& w) const {
  w.put<std::uint64_t>(columns_.size());
  for (const auto& c : columns_) c.save(w);
  w.put_vector(hits_);
  w.put_vector(on_time_);
  for (const auto& c : critical_) w.put_vector(c);
}

void Aggregator::load(ByteReader& r) {
  if (r.get<std::uint64_t>() != columns_.size()) throw std::runtime_error("a summary of another model (column count)");
  for (auto& c : columns_) c.load(r);
  const auto hits = r.get_vector<std::array<std::uint64_t, kPlayerProbabilities>>();
  const auto on_time = r.get_vector<std::uint64_t>();
  if (hits.size() != hits_.size() || on_time.size() != on_time_.size()) throw std::runtime_error("a summary of another model (players, sites)");
  hits_ = hits;
  on_time_ = on_time;
  for (auto& c : critical_) {
    const auto counts = r.get_vector<std::uint64_t>();
    if (counts.size() != c.size()) throw std::runtime_error("a summary of another model (activities)");
    c = counts;
  }
}

void Aggregator::validate(int pass, std::uint64_t counted) const {
  for (const auto& c : columns_) c.validate(pass, counted);
  // Events are counted in pass 0, over the paths counted then (all of them after it).
  const std::uint64_t most = pass == 0 ? counted : paths_;
  const auto check = [&](std::uint64_t k, const char* what) {
    if (k > most) throw std::runtime_error(std::string("a summary whose ") + what + " count more paths than it has");
  };
  for (const auto& h : hits_)
    for (std::uint64_t k : h) check(k, "probabilities");
  for (std::uint64_t k : on_time_) check(k, "sites");
  for (const auto& c : critical_)
    for (std::uint64_t k : c) check(k, "criticality indices");
}

Results aggregate(const CompiledModel& m, const PathResults& r, int threads) {
  Aggregator agg(m, r.paths, threads);
  // Whole blocks at a time: each column's values go to its summary in path order.
  const std::uint64_t chunk = 4 * kSummaryBlock;
  for (int pass = 0; pass < kSummaryPasses; ++pass) {
    for (std::uint64_t first = 0; first < r.paths; first += chunk) {
      agg.add(pass, first, std::min(chunk, r.paths - first), columns_from(r, first));
    }
    agg.finish_pass(pass);
  }
  return agg.results(&r.critical_counts);
}

}  // namespace buildout
