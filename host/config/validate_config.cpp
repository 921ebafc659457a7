// Checks across sections, once every section is read: templates no site uses,
// what each entity owns, the kernel's limits on draws and entities, and the
// bound on the price's rise.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "host/config/parse_context.hpp"
#include "host/config/value_bounds.hpp"
#include "kernels/limits.hpp"

namespace buildout {

namespace {

using namespace bounds;

// Unused templates are still validated, so a typo in one is caught.
void validate_templates(ParseContext& ctx) {
  for (const auto& [name, node] : *ctx.templates) {
    if (!node.is_table()) ctx.fail(node, "templates." + std::string(name.str()), "expected a table, got " + type_name(node));
    bool used = false;
    for (const auto& s : ctx.cfg.sites) used |= s.template_name == name.str();
    if (!used) parse_network(ctx, *node.as_table(), "templates." + std::string(name.str()));
  }
}

// The node an entity was written at: [players.<id>] or [owners.<id>].
const toml::node& entity_node(const ParseContext& ctx, const Player& p, const toml::table* owners) {
  const toml::node* n = p.is_owner && owners ? owners->get(p.id) : ctx.players->get(p.id);
  return n ? *n : static_cast<const toml::node&>(*ctx.players);
}

void check_entities(ParseContext& ctx, const toml::table* owners) {
  const Config& cfg = ctx.cfg;
  if (cfg.players.size() > kMaxPlayers) {  // named at the first one too many
    const Player& extra = cfg.players[kMaxPlayers];
    ctx.fail(entity_node(ctx, extra, owners), (extra.is_owner ? "owners." : "players.") + extra.id,
             "at most kMaxPlayers = " + std::to_string(kMaxPlayers) + " players (players and owners together; " +
                 std::to_string(cfg.players.size()) + " here)");
  }
  for (size_t p = 0; p < cfg.players.size(); ++p) {
    const Player& player = cfg.players[p];
    const Programme& g = player.programme;
    const toml::node& at = entity_node(ctx, player, owners);
    if (g.present && g.periods.empty())
      ctx.fail(*at.as_table()->get("programme"), "players." + player.id + ".programme",
               "no capex periods (give `guidance`, or capex under [actuals])");
    bool any = g.present;
    for (const auto& s : cfg.sites) any |= s.player == static_cast<int>(p);
    if (!any && player.is_owner)
      ctx.fail(at, "owners." + player.id, "owns no site (give a site `player = \"" + player.id + "\"`)");
    if (!any)
      ctx.fail(at, "players." + player.id, "nothing belongs to this player (add a site under [sites] or a programme)");
  }
}

// The global draws, counted as compile_model appends them: the market's, one
// per region, each player's block with its cadence, ceiling and programme
// draws (one per capex period), then one per priced contract. The error
// points at the entry whose draws pass the limit.
void check_global_draws(ParseContext& ctx, const toml::table* owners) {
  const Config& cfg = ctx.cfg;
  struct Block { const toml::node* at; std::string key; int draws; };
  std::vector<Block> blocks;
  blocks.push_back({ctx.market, "market", 5});
  for (const auto& r : cfg.regions) blocks.push_back({nullptr, "regions." + r.id, 1});
  for (const auto& p : cfg.players) {
    int n = 8;
    if (p.has_cadence) n += 2;  // the cadence and the release phase
    if (p.customers.present) n += 4;
    if (p.programme.present) n += 2 + static_cast<int>(p.programme.periods.size());
    blocks.push_back({&entity_node(ctx, p, owners), (p.is_owner ? "owners." : "players.") + p.id, n});
  }
  for (const auto& c : cfg.contracts)
    if (!c.market_price) blocks.push_back({ctx.contracts->get(c.id), c.key, 1});
  int total = 0;
  for (const auto& b : blocks) total += b.draws;
  if (total <= kMaxGlobalDraws) return;
  int running = 0;
  for (const auto& b : blocks) {
    running += b.draws;
    if (running <= kMaxGlobalDraws) continue;
    const toml::node* at = b.at;
    if (!at) at = ctx.regions->get(b.key.substr(std::string("regions.").size()));
    ctx.fail(*at, b.key, "too many regions and players: " + std::to_string(total) + " global draws, at most kMaxGlobalDraws = " +
                             std::to_string(kMaxGlobalDraws) + " (this entry's draws pass the limit)");
  }
}

// A schedule unit's draws, counted as compile_model appends them: its fixed
// draws, one per driver and activity, three per risk event.
void check_site_draws(ParseContext& ctx) {
  constexpr int kFixedSiteDraws = 10;
  for (const auto& s : ctx.cfg.sites) {
    const Network& net = s.network;
    const int n = kFixedSiteDraws + static_cast<int>(net.drivers.size() + net.activities.size() + 3 * net.risks.size());
    if (n <= kMaxSiteDraws) continue;
    const toml::node* at = ctx.sites->get(s.site_id);
    std::string key = "sites." + s.site_id;
    if (!s.phase_id.empty()) {
      at = at->as_table()->get("phases")->as_table()->get(s.phase_id);
      key += ".phases." + s.phase_id;
    }
    ctx.fail(*at, key, std::to_string(n) + " draws, at most kMaxSiteDraws = " + std::to_string(kMaxSiteDraws) +
                           " per site (" + std::to_string(kFixedSiteDraws) + ", one per driver and activity, three per risk)");
  }
}

// The most H100-eq a programme can bring online: every period at its
// largest spend, at the lowest cost per GW.
double programme_capacity_bound(const Config& cfg, const Programme& g) {
  if (!g.present) return 0.0;
  const Accelerator& acc = cfg.accelerators[g.accelerator];
  double usd_b = 0.0;
  for (const auto& c : g.periods) usd_b += c.usd_b.support_hi();
  return g.ai_share * usd_b / g.usd_b_per_gw.support_lo() * 1e6 / acc.kw_per_unit * acc.h100eq_per_unit;
}

// P(t) = P0 exp((e g - d) y) S^-e: the trend and the supply shortfall are
// bounded from the draws' supports, so that no path's price, and no cash
// flow built on it, can overflow (value_bounds.hpp).
void check_price_rise(const ParseContext& ctx) {
  const Config& cfg = ctx.cfg;
  const Market& mk = cfg.market;
  const double e_lo = mk.elasticity.support_lo(), e_hi = mk.elasticity.support_hi();
  const double g_hi = mk.demand_growth.support_hi();
  const double trend = std::max(e_hi * g_hi, e_lo * g_hi) - mk.price_decline.support_lo();
  double planned = 0.0;
  for (const auto& site : cfg.sites) planned += site.accelerator_count * cfg.accelerators[site.accelerator].h100eq_per_unit;
  for (const auto& p : cfg.players) planned += programme_capacity_bound(cfg, p.programme);
  const double shortfall = (mk.existing_capacity_h100eq + planned) / mk.existing_capacity_h100eq;
  const double years = cfg.run.horizon_months / 12.0;
  const double rise_log10 = std::max(trend, 0.0) * years / std::log(10.0) + e_hi * std::log10(shortfall);
  if (rise_log10 <= kPriceRiseLog10) return;
  std::ostringstream os;
  os << "with market.demand_growth_per_year, market.price_decline_per_year and market.existing_capacity_h100eq, the price "
     << "can rise up to 1e" << std::lround(rise_log10) << "-fold over the " << cfg.run.horizon_months
     << "-month horizon (trend e*g - d up to " << trend << " per year; capacity shortfall up to " << shortfall
     << "-fold, raised to the elasticity); at most 1e" << kPriceRiseLog10
     << " keeps cash flows finite: narrow these draws or raise existing_capacity_h100eq";
  ctx.fail(*ctx.market->get("elasticity"), "market.elasticity", os.str());
}

}  // namespace

void validate_config(ParseContext& ctx) {
  validate_templates(ctx);
  Config& cfg = ctx.cfg;
  if (cfg.sites.size() > kMaxSites) ctx.fail(*ctx.sites, "sites", "at most kMaxSites = " + std::to_string(kMaxSites) + " sites");
  check_entities(ctx, ctx.owners);
  std::stable_sort(cfg.sites.begin(), cfg.sites.end(), [](const Site& a, const Site& b) { return a.player < b.player; });
  check_global_draws(ctx, ctx.owners);
  check_site_draws(ctx);
  check_price_rise(ctx);
}

}  // namespace buildout
