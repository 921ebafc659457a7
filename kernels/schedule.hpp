#pragma once
// One site's schedule network on one path: a forward pass over activities in
// topological order, then a backward trace of the chains that set the ready date.
//   start  = max(site start, max over predecessors of finish + lag)
//   finish = start + duration * product of drivers + delays of events that occurred
// A unit not online at the data date D cannot have become ready before it:
// when its terminal activity would finish before D, it runs from D instead,
// its sampled duration drawn from then (a data date as in Primavera Risk
// Analysis, where the one thing known of the work is that it is not done).
#include <cstdint>

#include "model_view.hpp"
#include "platform.hpp"

namespace buildout {

struct SiteSchedule {
  double ready_month;
  double event_cost_usd_m;
  std::uint64_t critical;  // bit a: activity a lies on a critical path to ready
};

// Room for one site's forward pass of up to n activities: each one's start and finish. Until the
// pass reaches an activity, its finish holds its delay from events (activities come in
// topological order, so no successor reads it before).
template <int n>
struct ScheduleScratch {
  double start[n], finish[n];
};

// v: the site's draw block (SiteDraw fields, drivers, durations, events);
// site_start: its construction start, after any phase it follows.
template <int n>
BO_HD SiteSchedule evaluate_schedule(const ModelView& m, const SiteSpec& s, const double* v, double site_start, ScheduleScratch<n>& w) {
  const double* drivers = v + kSiteFixedDraws;
  const double* durations = drivers + s.n_drivers;
  const double* events = durations + s.n_activities;

  double *start = w.start, *finish = w.finish;
  double* delay = w.finish;
  for (int a = 0; a < s.n_activities; ++a) delay[a] = 0.0;
  double event_cost = 0.0;
  for (int e = 0; e < s.n_events; ++e) {
    if (events[3 * e] < 0.5) continue;
    event_cost += events[3 * e + 2];
    for (std::uint64_t hits = m.events[s.event_begin + e].hits; hits != 0; hits &= hits - 1)
      delay[lowest_bit(hits)] += events[3 * e + 1];
  }

  const ActivitySpec* acts = m.activities + s.activity_begin;
  for (int a = 0; a < s.n_activities; ++a) {
    double st = site_start;
    for (int p = acts[a].pred_begin; p < acts[a].pred_end; ++p) {
      const double t = finish[m.predecessors[p].activity] + m.predecessors[p].lag_months;
      st = t > st ? t : st;
    }
    double mult = 1.0;
    for (std::uint64_t dm = acts[a].driver_mask; dm != 0; dm &= dm - 1) mult *= drivers[lowest_bit(dm)];
    start[a] = st;
    finish[a] = st + durations[a] * mult + delay[a];
  }

  const int z = s.terminal;
  if (finish[z] < m.data_date_month && !s.online_actual) {
    finish[z] = m.data_date_month + (finish[z] - start[z]);
    start[z] = m.data_date_month;  // driven by the data date: no predecessor is critical
  }

  // Exact equality is intended: start is the max of these very sums, so the
  // driving predecessors (all of them, on ties) compare equal bit for bit.
  std::uint64_t critical = std::uint64_t{1} << s.terminal;
  for (int a = s.n_activities - 1; a >= 0; --a) {
    if (!((critical >> a) & 1u)) continue;
    for (int p = acts[a].pred_begin; p < acts[a].pred_end; ++p) {
      const int q = m.predecessors[p].activity;
      if (finish[q] + m.predecessors[p].lag_months == start[a]) critical |= std::uint64_t{1} << q;
    }
  }
  if (s.online_actual) return SiteSchedule{s.actual_ready_month, event_cost, 0};
  const double ready = finish[s.terminal];
  return SiteSchedule{ready < kMaxReadyMonth ? ready : kMaxReadyMonth, event_cost, critical};
}

}  // namespace buildout
