#include <cmath>
#include <cstdio>

#include "reports.hpp"

namespace buildout {

std::string month_to_date(const YearMonth& start, double month) {
  const int index = start.index() + static_cast<int>(std::floor(month));
  return YearMonth{index / 12, index % 12 + 1}.str();
}

std::string format_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

std::string percentile_name(double level) { return "p" + format_number(level); }

std::string format_fixed(double v, int digits) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace buildout
