#pragma once
// Upper bounds on config magnitudes, each far beyond any real build-out. They
// keep every product the kernel forms (units x price, MW x cost per MW,
// capacity x hours x price, a cash flow discounted over the horizon) finite,
// also in the single-precision per-path results: docs/CONFIG.md derives it.
// Validation names the key and its bound when a value exceeds one.
#include <cstdint>

namespace buildout::bounds {

constexpr std::uint64_t kMaxPaths = std::uint64_t{1} << 40;  // [run] paths and --paths: 1.1e12

constexpr double kMonths = 1200;             // durations, lags, delays, ramps, training, late delivery: 100 years
constexpr double kMultiplier = 1000;         // schedule drivers, cost and GPU price indices, monetisation multiples
constexpr double kSiteMw = 1e5;              // IT MW of one site: 100 GW
constexpr double kAcceleratorCount = 1e8;    // accelerators at one site
constexpr double kH100eqPerUnit = 1e3;
constexpr double kKwPerUnit = 1e3;
constexpr double kAcceleratorPriceUsd = 1e8;
constexpr double kCostPerMwUsdM = 1e4;       // $10B per MW
constexpr double kEventCostUsdM = 1e7;       // $10T for one risk event
constexpr double kPowerUsdPerMwh = 1e5;
constexpr double kPriceUsdPerHour = 1e4;     // P0 per H100-eq GPU-hour
constexpr double kCapacityH100eq = 1e13;     // installed base outside the model
constexpr double kRatePerYear = 10;          // |price decline| and |demand growth|, continuous per year
constexpr double kElasticity = 10;
constexpr double kCapexUsdB = 1e5;           // one player's capex in one period: $100T
constexpr double kUsdBPerGw = 1e4;           // a programme's all-in cost per GW of IT load
constexpr double kMinUsdBPerGw = 1e-3;       // ... and its floor: capacity per dollar stays finite

// Derived: the market price may rise at most 10^12-fold over the horizon
// (trend and supply shortfall together), checked from the draws' supports.
constexpr double kPriceRiseLog10 = 12;

}  // namespace buildout::bounds
