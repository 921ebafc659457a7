#pragma once
// The four reports, each rendered to a string (README.md, "Outputs", has their schemas).
#include <string>

#include "host/metrics/aggregate.hpp"
#include "run_info.hpp"

namespace buildout {

std::string render_summary_json(const RunInfo& info, const Results& results);
std::string render_percentiles_csv(const Results& results);
std::string render_sites_csv(const RunInfo& info, const Results& results);
std::string render_headline_md(const RunInfo& info, const Results& results);

// "YYYY-MM" of the month containing `month` (months from the start).
std::string month_to_date(const YearMonth& start, double month);
std::string format_number(double v);  // %.9g, the format of every CSV value
std::string percentile_name(double level);  // 80 -> "p80", the statistic's name in every report
std::string format_fixed(double v, int digits);  // %.*f, for Markdown tables

}  // namespace buildout
