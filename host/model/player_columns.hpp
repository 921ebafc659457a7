#pragma once
// The per-player result columns of one run: the fixed metrics of
// BUILDOUT_PLAYER_METRICS, then one capex column per [report] capex window, one
// revenue column per revenue window and one capacity column per online month,
// named from their dates.
#include <string>
#include <vector>

#include "host/config/config.hpp"
#include "kernels/model_view.hpp"

namespace buildout {

struct PlayerColumn {
  std::string name, unit, meaning;
};

// `valuation` and `months` (the horizon) date the cumulative cash columns. Sets each calendar
// kind's first column in cal (CalendarSpec::capex_column, ...), which the kernel writes by.
std::vector<PlayerColumn> player_columns(const ReportSettings& report, const YearMonth& valuation, int months, CalendarSpec& cal);

// The month (from the valuation date) whose end each cumulative cash column reports.
std::vector<int> cash_column_months(const ReportSettings& report, int months);

// A window's name in metric names and its label in prose: whole calendar years
// are "2025" or "2025_26" ("2025-26"); anything else "2025_03_2026_02" ("2025-03 to 2026-02").
std::string window_name(const YearMonth& first, const YearMonth& last);
std::string window_label(const YearMonth& first, const YearMonth& last);

}  // namespace buildout
