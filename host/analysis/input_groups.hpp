#pragma once
// The model's uncertain inputs in named groups (README, "Sensitivity"), and the
// model variants the sensitivity analyses run: a group held at a quantile of
// each of its inputs (the tornado), or drawn from independent random numbers
// (Sobol's resampled matrices). Every variant keeps each draw's stream, so the
// inputs outside the group get the same numbers on the same path.
#include <string>
#include <vector>

#include "host/model/compiled_model.hpp"

namespace buildout {

struct InputGroup {
  std::string name;
  std::vector<int> draws;            // indices into CompiledModel::draws, random ones only
  std::vector<int> factors;          // common factors (group "factors")
  std::vector<int> release_streams;  // later flagships' success draws (group "frontier")
};

// The group a draw's config key path belongs to, e.g. "sites.fairwater.network.activities.shell.duration"
// -> "schedule.fairwater"; "other" for a key no rule names (a test keeps base.toml free of it).
std::string input_group_of(const std::string& key);

// The model's groups that hold a random input, in a fixed order: factors, market.price_level,
// market.price_decline, market.demand_growth, market.elasticity, power, cost_of_capital,
// monetisation, frontier, customers, programme, contracts, construction_costs, then
// schedule.<site> in site order, then other.
std::vector<InputGroup> input_groups(const CompiledModel& m);

// The groups named in `names` (comma-separated; empty: all of them). An unknown name is a
// UserError that lists the known ones.
std::vector<InputGroup> select_input_groups(const CompiledModel& m, const std::string& names);

// The quantile at `level` (in (0, 1)) of a draw's marginal, by value: what the draw is at
// its P10 or P90 (a Bernoulli event: 1 when level > 1 - p).
double draw_quantile(const CompiledModel& m, int draw, double level);

// m with every input of g fixed at its marginal quantile `level`. A common factor cannot be
// held (the draws load on it); the caller leaves group "factors" out of a tornado.
CompiledModel with_group_at(const CompiledModel& m, const InputGroup& g, double level);

// m with the inputs of each group in `groups` drawn from other, independent random numbers
// (their streams remapped one to one, so a phase's shared draws stay shared).
CompiledModel with_groups_resampled(const CompiledModel& m, const std::vector<const InputGroup*>& groups);

}  // namespace buildout
