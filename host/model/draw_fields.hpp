#pragma once
// The host's side of the draw blocks (kernels/draw_blocks.hpp): for each line, its position, its
// key, its group and where its Dist is read from in the Config. compile_model appends each block
// from these tables, input_group_of finds a key's group in them, and tests hold the three to the
// kernel's enumerators.
#include <cstddef>
#include <string>

#include "host/config/config.hpp"
#include "kernels/draw_blocks.hpp"

namespace buildout {

// The Config structs a block's `source` expressions read (kernels/draw_blocks.hpp).
struct SiteDrawSource {
  const Site& site;
  const Accelerator& accelerator;  // the site's
};
struct GlobalDrawSource {
  const Market& market;
};
struct PlayerDrawSource {  // a player's, its ceiling's and its programme's blocks
  const Player& player;
};

template <class Source>
struct DrawField {
  int position;       // in its block: the kernel's enumerator
  const char* key;    // relative to the block's owner
  const char* group;  // its sensitivity group
  const Dist& (*dist)(const Source&);
};

#define BUILDOUT_DRAW_FIELD(e, key, source, group) {e, key, group, [](const auto& s) -> const Dist& { return s.source; }},
constexpr DrawField<SiteDrawSource> kSiteDrawFields[kSiteFixedDraws] = {BUILDOUT_SITE_DRAWS(BUILDOUT_DRAW_FIELD)};
constexpr DrawField<GlobalDrawSource> kGlobalDrawFields[kGlobalFixedDraws] = {BUILDOUT_GLOBAL_DRAWS(BUILDOUT_DRAW_FIELD)};
constexpr DrawField<PlayerDrawSource> kPlayerDrawFields[kPlayerDraws] = {BUILDOUT_PLAYER_DRAWS(BUILDOUT_DRAW_FIELD)};
constexpr DrawField<PlayerDrawSource> kCeilingDrawFields[kCeilingDraws] = {BUILDOUT_CEILING_DRAWS(BUILDOUT_DRAW_FIELD)};
constexpr DrawField<PlayerDrawSource> kProgrammeDrawFields[kProgrammeFixedDraws] = {BUILDOUT_PROGRAMME_DRAWS(BUILDOUT_DRAW_FIELD)};
#undef BUILDOUT_DRAW_FIELD

// The key paths of the blocks' owners: a site's block is keyed by its site (a phase shares it),
// the global block's fixed draws by the market, and a player's blocks by the player.
inline std::string site_draws_key(const Site& s) { return "sites." + s.site_id + "."; }
inline const char* const kGlobalDrawsKey = "market.";
inline std::string player_draws_key(const Player& p) { return "players." + p.id + "."; }

}  // namespace buildout
