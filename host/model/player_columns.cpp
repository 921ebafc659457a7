#include "player_columns.hpp"

#include <cstdio>

#include "kernels/model_view.hpp"

namespace buildout {
namespace {

bool whole_years(const YearMonth& first, const YearMonth& last) { return first.month == 1 && last.month == 12; }

std::string underscored(const YearMonth& m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d_%02d", m.year, m.month);
  return buf;
}

}  // namespace

std::string window_name(const YearMonth& first, const YearMonth& last) {
  if (!whole_years(first, last)) return underscored(first) + "_" + underscored(last);
  if (first.year == last.year) return std::to_string(first.year);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d_%02d", first.year, last.year % 100);
  return buf;
}

std::string window_label(const YearMonth& first, const YearMonth& last) {
  if (!whole_years(first, last)) return first.str() + " to " + last.str();
  if (first.year == last.year) return std::to_string(first.year);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", first.year, last.year % 100);
  return buf;
}

std::vector<int> cash_column_months(const ReportSettings& report, int months) {
  std::vector<int> out;
  if (report.cash_every_months > 0)
    for (int t = report.cash_every_months - 1; t < months; t += report.cash_every_months) out.push_back(t);
  return out;
}

std::vector<PlayerColumn> player_columns(const ReportSettings& report, const YearMonth& valuation, int months, CalendarSpec& cal) {
  std::vector<PlayerColumn> columns;
  const auto next_column = [&columns] { return static_cast<std::int32_t>(columns.size()); };
  for (const auto& m : kPlayerMetricInfo) columns.push_back({m.name, m.unit, m.meaning});
  cal.capex_column = next_column();
  for (const auto& [first, last] : report.capex_windows)
    columns.push_back({"capex_" + window_name(first, last) + "_usd_b", "$B", "capex paid in " + window_label(first, last)});
  cal.revenue_column = next_column();
  for (const auto& [first, last] : report.revenue_windows)
    columns.push_back({"revenue_" + window_name(first, last) + "_usd_b", "$B", "revenue earned in " + window_label(first, last)});
  cal.release_column = next_column();
  for (const auto& [first, last] : report.release_windows)
    columns.push_back({"last_release_" + window_name(first, last) + "_month", "months",
                       "the player's last release in " + window_label(first, last) + " (the month before it when none)"});
  cal.online_column = next_column();
  for (const auto& m : report.online_months)
    columns.push_back({"online_h100eq_" + underscored(m), "H100-eq", "online capacity at the end of " + m.str()});
  cal.cash_column = next_column();
  for (int t : cash_column_months(report, months)) {
    const int index = valuation.index() + t;
    const YearMonth m{index / 12, index % 12 + 1};
    columns.push_back({"cash_" + underscored(m) + "_usd_b", "$B",
                       "cumulative net cash from " + valuation.str() + " to the end of " + m.str() + " (undiscounted, book value not included)"});
  }
  return columns;
}

}  // namespace buildout
