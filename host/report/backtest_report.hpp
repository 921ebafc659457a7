#pragma once
// The backtest's two reports: backtest.csv (fixed schema) and backtest.md.
#include <string>
#include <vector>

#include "host/metrics/backtest.hpp"
#include "run_info.hpp"

namespace buildout {

std::string render_backtest_csv(const YearMonth& valuation, const std::vector<BacktestRow>& rows);
std::string render_backtest_md(const RunInfo& info, const std::vector<BacktestRow>& rows);

}  // namespace buildout
