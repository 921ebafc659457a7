// [contracts]: compute a buyer takes from another entity's site.
#include "host/config/parse_context.hpp"
#include "host/config/toml_input.hpp"
#include "host/config/value_bounds.hpp"
#include "kernels/limits.hpp"

namespace buildout {

namespace {

using namespace bounds;

}  // namespace

void parse_contract(ParseContext& ctx, const std::string& id, const toml::node& n) {
  const std::string path = "contracts." + id;
  TableReader r(ctx.as_table(n, path), path, ctx.sources);
  Contract c;
  c.id = id;
  c.key = path;
  c.buyer = ctx.resolve(r, "buyer", ctx.cfg.players, "players");
  if (ctx.cfg.players[c.buyer].is_owner)
    ctx.fail(r.require("buyer"), r.key_path("buyer"), "the buyer must be a player, not an owner: an owner's capacity earns only at the market or under contracts");
  c.site = r.string("site");
  int seller = -1;
  for (const auto& s : ctx.cfg.sites)
    if (s.site_id == c.site) seller = s.player;
  if (seller < 0) ctx.fail(r.require("site"), r.key_path("site"), "unknown site \"" + c.site + "\" (not under [sites])");
  c.seller = seller;
  if (c.seller == c.buyer)
    ctx.fail(r.require("site"), r.key_path("site"), "site \"" + c.site + "\" belongs to the buyer already: a contract moves capacity between two entities");
  c.share = r.number_in("share", 1e-9, 1.0, Contract{}.share);
  c.market_price = !r.has("price_usd_per_h100eq_hour");
  if (!c.market_price) c.price_usd_per_h100eq_hour = parse_dist(ctx, r, "price_usd_per_h100eq_hour", 0.0, kPriceUsdPerHour);
  c.term_months = r.number_in("term_months", 0.0, kMonths);
  c.has_start = r.has("start");
  if (c.has_start) c.start = parse_date(r, "start", "");
  r.finish();
  for (const auto& other : ctx.cfg.contracts)
    if (other.site == c.site && other.buyer == c.buyer)
      ctx.fail(n, path, "site \"" + c.site + "\" is already contracted to this buyer by contracts." + other.id);
  ctx.cfg.contracts.push_back(c);
  // Each contracted schedule unit (a site, or each of its phases) is one contract in the kernel.
  int units = 0;
  for (const auto& k : ctx.cfg.contracts)
    for (const auto& s : ctx.cfg.sites) units += s.site_id == k.site;
  if (units > kMaxContracts)
    ctx.fail(n, path, std::to_string(units) + " contracted schedule units with this one, at most kMaxContracts = " +
                          std::to_string(kMaxContracts) + " (each phase of a contracted site counts)");
}

}  // namespace buildout
