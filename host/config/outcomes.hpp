#pragma once
// Recorded outcomes for a backtest (docs/VALIDATION.md): what happened, to be
// placed in the distribution a config as of an earlier data date gives it.
#include <string>
#include <vector>

#include "host/config/config.hpp"

namespace buildout {

struct Outcome {
  std::string name, source;
  std::string site;    // a row of sites.csv ("<site>", "<site>/<phase>", "<site>/first"); or
  std::string player;  // a player, with
  std::string metric;  // one of its result columns
  bool dated = false;  // a month ("date"): the value lies in [month, month + 1)
  YearMonth date;
  double value = 0;    // otherwise a value in the metric's unit
  bool times_ai_share = false;  // "reported_usd_b": a company figure, times the player's AI share
  std::string at;  // "FILE:LINE:COL" of its table, for errors found once the model is known
};

// Throws ConfigError naming the file, line and key.
std::vector<Outcome> load_outcomes_file(const std::string& path);

}  // namespace buildout
