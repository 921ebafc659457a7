#pragma once
// Compute contracts on one path: the capacity each delivers in a month and
// what it costs. The buyer earns on contracted capacity as own use and pays
// for it; the seller (the unit's entity) keeps its costs and is paid instead
// of renting that capacity at the market.
#include "cashflow.hpp"
#include "model_view.hpp"
#include "platform.hpp"

namespace buildout {

// H100-eq the contract delivers at mid-month t: its share of the unit's online
// capacity (full_h100eq when all online) while the term runs, from the later of its start and
// the unit's ready date.
BO_HD double contracted_h100eq(const ContractSpec& c, const SiteState& s, double full_h100eq, int t) {
  const double mid = t + 0.5;
  const double begin = c.start_month > s.ready ? c.start_month : s.ready;
  if (mid < begin || mid >= begin + c.term_months) return 0.0;
  return c.share * full_h100eq * online_share_in_month(s, t);
}

// Entity p's contracted capacity in month t: bought (in) and sold (out), and
// the payments it makes and receives, at each contract's price or the market's.
struct ContractMonth {
  double in = 0.0, out = 0.0, paid = 0.0, received = 0.0;
};

BO_HD ContractMonth contract_month(const ModelView& m, int p, const SiteState* sites, const double* g, int t, double market_price) {
  ContractMonth cm;
  for (std::uint32_t mask = m.players[p].contract_mask; mask != 0; mask &= mask - 1) {
    const ContractSpec& c = m.contracts[lowest_bit(mask)];
    const double h = contracted_h100eq(c, sites[c.unit], site_h100eq(m.sites[c.unit]), t);
    if (h == 0.0) continue;
    const double pay = h * m.hours_per_month * (c.price_draw < 0 ? market_price : g[c.price_draw]);
    if (c.buyer == p) {
      cm.in += h;
      cm.paid += pay;
    } else {
      cm.out += h;
      cm.received += pay;
    }
  }
  return cm;
}

}  // namespace buildout
