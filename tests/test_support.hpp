#pragma once
// Helpers shared by the tests: small configs in TOML text, and running them
// through the real engine (config -> compiled model -> CPU backend -> paths).
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "host/config/config.hpp"
#include "host/config/config_error.hpp"
#include "host/engine/backend.hpp"
#include "host/engine/simulate.hpp"
#include "host/model/compiled_model.hpp"

namespace buildout::testing {

// A 100 MW site of player p, built from template `tmpl` from 2025-01, planned ready 2026-01.
inline std::string test_site(const std::string& id, const std::string& tmpl) {
  return "\n[sites." + id + R"(]
player = "p"
it_mw = 100
accelerator = "h"
accelerator_count = 10000
region = "r"
construction_start = "2025-01"
planned_ready = "2026-01"
template = ")" + tmpl + "\"\ncost_per_mw_usd_m = 10\n";
}

// `text` with its first `from` replaced by `to`; a test config edit that
// misses its target throws, so the test fails instead of testing the default.
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("replaced: \"" + from + "\" not found");
  return text.replace(at, from.size(), to);
}

// A one-player, one-site config whose every draw outside `network` is fixed;
// `network` holds [templates.t...] tables and `extra` anything else (more sites, factors).
inline std::string config_with_network(const std::string& network, const std::string& extra = "") {
  return R"([run]
valuation = "2025-01"
horizon_months = 96

[market]
price_p0_usd_per_hour = 2.0
price_decline_per_year = 0.0
demand_growth_per_year = 0.0
elasticity = 0.0
gpu_price_index = 1.0
existing_capacity_h100eq = 1000000

[regions.r]
power_usd_per_mwh = 50

[accelerators.h]
h100_equivalents = 1.0
price_usd = 30000
kw_per_unit = 1.0
life_years = 5

[construction]
labor_share = 0.0
materials_share = 0.0
equipment_share = 0.0
escalation_per_month = 0.0
labor_index = 1.0
materials_index = 1.0
equipment_index = 1.0

[supply]
allocation = 1.0
late_delivery_months = 0
ramp_months = 0
planned_ramp_months = 0

[players.p]
wacc = 0.10
utilisation = 1.0
pue = 1.0
training_months = 6
frontier_success = { probability = 0.5 }
monetisation_pre = 1.0
monetisation_success = 1.0
monetisation_fail = 1.0
rent_share = 0.5
om_share_per_year = 0.0
frontier_threshold_h100eq = 1e12

)" + test_site("s", "t") + network + "\n" + extra;
}

// Loads `text` and expects a ConfigError naming each of `parts`.
inline void expect_config_error(const std::string& text, std::initializer_list<std::string> parts) {
  try {
    load_config_text(text, "<test>");
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    for (const auto& p : parts) EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << p << " in " << e.what();
  }
}

struct EngineRun {
  CompiledModel model;
  PathResults paths;
};

inline EngineRun run_text(const std::string& toml, std::uint64_t paths, std::uint64_t seed = 7, int threads = 2,
                          std::uint64_t batch = 0) {
  EngineRun r{compile_model(load_config_text(toml, "<test>"), seed), {}};
  auto backend = make_cpu_backend(r.model, threads);
  r.paths = simulate(r.model, *backend, paths, batch ? batch : paths, nullptr);
  return r;
}

inline EngineRun run_file(const std::string& path, std::uint64_t paths, std::uint64_t seed, int threads, std::uint64_t batch) {
  EngineRun r{compile_model(load_config_file(path), seed), {}};
  auto backend = make_cpu_backend(r.model, threads);
  r.paths = simulate(r.model, *backend, paths, batch, nullptr);
  return r;
}

// The binary as a user runs it: exit code and what it printed (both streams).
struct Result {
  int code;
  std::string output;
};

// A shell command line: its exit code and what it printed (both streams).
inline Result shell(const std::string& command) {
  const std::string cmd = command + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

#ifdef BUILDOUT_BINARY  // the integration tests' (integration/CMakeLists.txt); unit tests do not run the binary
inline Result sh(const std::string& args) { return shell(std::string(BUILDOUT_BINARY) + " " + args); }
#endif

// A folder of this test process under the system's temporary folder, removed if it was there
// (not created: a test may check that a command did not create it).
inline std::filesystem::path fresh_dir(const std::string& name) {
  const std::filesystem::path d = std::filesystem::temp_directory_path() / ("buildout-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  return d;
}

inline std::string source_path(const std::string& rel) { return std::string(BUILDOUT_SOURCE_DIR) + "/" + rel; }

// A whole file as a string; empty when it cannot be read.
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Share of values at or below x.
inline double empirical_cdf(const float* v, std::uint64_t n, double x) {
  std::uint64_t k = 0;
  for (std::uint64_t i = 0; i < n; ++i) k += v[i] <= x;
  return static_cast<double>(k) / n;
}

// Tolerance for a proportion: 4 binomial standard errors.
inline double four_se(double p, std::uint64_t n) { return 4.0 * std::sqrt(p * (1.0 - p) / n); }

}  // namespace buildout::testing
