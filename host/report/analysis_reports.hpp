#pragma once
// The reports of `buildout compare` (deltas.csv, compare.md) and `buildout
// sensitivity` (tornado.csv, sobol.csv, sensitivity.md); README, "Scenario
// comparison" and "Sensitivity", has their schemas.
#include <cstdint>
#include <string>
#include <vector>

#include "host/analysis/paired_deltas.hpp"
#include "host/analysis/sensitivity.hpp"

namespace buildout {

struct ScenarioDeltas {
  std::string scenario;  // the other config's path
  std::vector<DeltaRow> rows;
};

struct ComparisonInfo {
  std::string base;  // the base config's path
  std::uint64_t paths = 0, seed = 0;
  std::vector<std::string> player_names;  // by the base model's player ids
  std::vector<std::string> player_ids;
};

std::string render_deltas_csv(const std::vector<ScenarioDeltas>& scenarios);
std::string render_compare_md(const ComparisonInfo& info, const std::vector<ScenarioDeltas>& scenarios);

struct SensitivityInfo {
  std::string config;
  std::uint64_t paths = 0, seed = 0;
  int runs = 0;
  std::vector<std::string> player_ids, player_names;
  std::vector<std::string> groups;
};

std::string render_tornado_csv(const TornadoResults& t);
std::string render_sobol_csv(const std::vector<SobolRow>& rows);
// `tornado` or `sobol` may be empty when that analysis was not asked for.
std::string render_sensitivity_md(const SensitivityInfo& info, const TornadoResults* tornado, const std::vector<SobolRow>* sobol);

}  // namespace buildout
