// [market]: the price and demand draws; [regions]: power prices;
// [accelerators]: what a unit of compute is and costs.
#include <limits>

#include "host/config/parse_context.hpp"
#include "host/config/value_bounds.hpp"

namespace buildout {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
using namespace bounds;

}  // namespace

void parse_market(ParseContext& ctx, const toml::table& tbl) {
  TableReader r(tbl, "market", ctx.sources);
  auto& m = ctx.cfg.market;
  m.price_p0 = parse_dist(ctx, r, "price_p0_usd_per_hour", 0.0, kPriceUsdPerHour);
  m.price_decline = parse_dist(ctx, r, "price_decline_per_year", -kRatePerYear, kRatePerYear);
  m.demand_growth = parse_dist(ctx, r, "demand_growth_per_year", -kRatePerYear, kRatePerYear);
  m.elasticity = parse_dist(ctx, r, "elasticity", 0.0, kElasticity);
  m.gpu_price_index = parse_dist(ctx, r, "gpu_price_index", 0.0, kMultiplier);
  m.existing_capacity_h100eq = r.number_in("existing_capacity_h100eq", 1.0, kCapacityH100eq);
  m.hours_per_month = r.number_in("hours_per_month", 0.0, 744.0, Market{}.hours_per_month);
  m.first_mover_tau_months = r.number_in("first_mover_tau_months", 0.0, kInf, Market{}.first_mover_tau_months);
  r.finish();
}

void parse_region(ParseContext& ctx, const std::string& id, const toml::node& n, const std::string& section) {
  TableReader r(ctx.as_table(n, section + "." + id), section + "." + id, ctx.sources);
  ctx.cfg.regions.push_back(Region{id, parse_dist(ctx, r, "power_usd_per_mwh", 0.0, kPowerUsdPerMwh)});
  r.finish();
}

void parse_accelerator(ParseContext& ctx, const std::string& id, const toml::node& n) {
  TableReader r(ctx.as_table(n, "accelerators." + id), "accelerators." + id, ctx.sources);
  Accelerator a;
  a.id = id;
  a.h100eq_per_unit = r.number_in("h100_equivalents", 1e-9, kH100eqPerUnit);
  a.kw_per_unit = r.number_in("kw_per_unit", 0.0, kKwPerUnit);
  a.life_years = r.number_in("life_years", 1e-9, 100.0);
  a.price_usd = parse_dist(ctx, r, "price_usd", 0.0, kAcceleratorPriceUsd);
  const Dist none = Dist::fixed(0.0);
  a.other_it_usd = parse_dist(ctx, r, "other_it_usd", 0.0, kAcceleratorPriceUsd, &none);
  r.finish();
  ctx.cfg.accelerators.push_back(a);
}

}  // namespace buildout
