#pragma once
// What a player's books say of each [report] capex window: the reported
// actuals and the guided ranges its programme carries, before and after its
// AI share. The reports print them beside the modelled capex.
#include <string>
#include <vector>

#include "host/config/config.hpp"

namespace buildout {

struct BooksFigure {
  std::string kind;               // "reported", "guided", "reported + guided"; empty: the books do not cover the window
  double total_lo = 0, total_hi = 0;  // the window's capex as the company states it, $B
  double ai_lo = 0, ai_hi = 0;        // ... times the programme's AI share: what the model's capex is held to
};

struct ProgrammeBooks {
  bool present = false;
  double ai_share = 0;
  std::string capex_basis;
  std::vector<BooksFigure> windows;  // per [report] capex window
};

ProgrammeBooks programme_books(const Programme& programme, const ReportSettings& report);

}  // namespace buildout
