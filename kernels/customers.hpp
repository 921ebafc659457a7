#pragma once
// What a player's customers can pay for AI capacity, month by month: a ceiling
// on the revenue its modelled capacity earns ([players.<id>.customers]).
// The ceiling is the backlog contracted at the data date (its AI share,
// recognised evenly over its term from the data date) plus the customers'
// spend beyond it, which grows with the market's demand draw, the same one
// that lifts the price. Revenue above it is not earned.
#include <cmath>

#include "model_view.hpp"
#include "platform.hpp"

namespace buildout {

class CustomerCeilingPath {
 public:
  // Month t's ceiling is next(t), called for t = 0, 1, ... in order.
  BO_HD CustomerCeilingPath(const ModelView& m, const PlayerSpec& pl, const double* g) {
    if (pl.ceiling_draw < 0) return;
    const double* c = g + pl.ceiling_draw;
    present_ = true;
    backlog_begin_ = m.data_date_month;
    backlog_end_ = m.data_date_month + c[kBacklogMonths];
    backlog_rate_ = c[kBacklogUsdB] * 1e9 * c[kBacklogAiShare] / c[kBacklogMonths];
    // Spend at the data date's rate, taken at mid-month: month t earns
    // exp(growth x (t + 0.5 - data date) / 12) of it, before the data date too.
    const double growth = g[kDemandGrowth];
    spend_ = c[kSpendUsdBPerYear] * 1e9 / 12.0 * exp(growth * (0.5 - m.data_date_month) / 12.0);
    spend_step_ = exp(growth / 12.0);
  }

  BO_HD double next(int t) {
    if (!present_) return INFINITY;
    // The part of month [t, t + 1) inside the backlog's term.
    const double lo = t > backlog_begin_ ? t : backlog_begin_;
    const double hi = t + 1.0 < backlog_end_ ? t + 1.0 : backlog_end_;
    const double ceiling = (hi > lo ? backlog_rate_ * (hi - lo) : 0.0) + spend_;
    spend_ *= spend_step_;
    return ceiling;
  }

 private:
  bool present_ = false;
  double backlog_begin_ = 0.0, backlog_end_ = 0.0, backlog_rate_ = 0.0;
  double spend_ = 0.0, spend_step_ = 1.0;
};

}  // namespace buildout
