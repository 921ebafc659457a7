#include "programme_books.hpp"

namespace buildout {

ProgrammeBooks programme_books(const Programme& programme, const ReportSettings& report) {
  ProgrammeBooks books;
  books.present = programme.present;
  books.ai_share = programme.ai_share;
  books.capex_basis = programme.capex_basis;
  for (const auto& [first, last] : report.capex_windows) {
    BooksFigure f;
    // The window is covered when the periods inside it tile it exactly; a
    // period that straddles its edge cannot be split without a made-up profile.
    int covered = 0;
    bool straddles = false, reported = false, guided = false, unstated = false;
    for (const auto& c : programme.periods) {
      const bool inside = c.first.index() >= first.index() && c.last.index() <= last.index();
      const bool outside = c.last.index() < first.index() || c.first.index() > last.index();
      if (!inside) { straddles |= !outside; continue; }
      covered += c.last.index() - c.first.index() + 1;
      (c.actual ? reported : c.guided ? guided : unstated) = true;
      f.total_lo += c.actual ? c.usd_b.a : c.guided_lo;
      f.total_hi += c.actual ? c.usd_b.a : c.guided_hi;
    }
    if (!straddles && !unstated && covered == last.index() - first.index() + 1) {
      f.kind = reported && guided ? "reported + guided" : reported ? "reported" : "guided";
      f.ai_lo = f.total_lo * programme.ai_share;
      f.ai_hi = f.total_hi * programme.ai_share;
    } else {
      f = BooksFigure{};
    }
    books.windows.push_back(f);
  }
  return books;
}

}  // namespace buildout
