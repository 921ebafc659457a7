#pragma once
// The model's hard bounds, in one place: the kernels size their per-path
// arrays by them and config validation refuses what exceeds them, by name.
namespace buildout {

// Fixed-size bounds keep per-path state in registers and small local arrays.
constexpr int kMaxFactors = 16;
constexpr int kMaxGlobalDraws = 160;
constexpr int kMaxSiteDraws = 256;
constexpr int kMaxActivities = 64;  // per site; activity sets are 64-bit masks
constexpr int kMaxDrivers = 64;     // per site; driver sets are 64-bit masks
constexpr int kMaxSites = 64;
constexpr int kMaxPlayers = 8;     // players and owners together
constexpr int kMaxContracts = 16;  // compute contracts, one per contracted schedule unit (a 32-bit mask per player)
constexpr int kMaxMonths = 240;
constexpr int kMaxCapexWindows = 4;   // [report] capex_windows
constexpr int kMaxOnlineReports = 4;  // [report] online_months
constexpr int kMaxProgrammePeriods = 16;  // per player: actual and guided capex periods
constexpr int kMaxLeaseTermYears = 100;   // [sites] lease_term_years; rent escalates by a table of as many years
// Per player on a release cadence: the eligible flagships (from the frontier release on) that get
// a success draw each; after this many failures no later one succeeds within the horizon.
constexpr int kMaxEligibleReleases = 24;

// A copula score is truncated at this many standard deviations. Unloaded
// normals never reach it (Philox Box-Muller tails end near 6.7); a loaded
// score passes it with probability ~1e-15. It gives normal and lognormal
// draws a finite support that validation can hold against each key's bounds.
constexpr double kMaxNormalScore = 8.0;

// A ready date later than this (months after the valuation date; 1,000 years)
// is reported at it: such a site never comes online within any horizon.
constexpr double kMaxReadyMonth = 12000.0;

// Below one dollar of capex (or of base estimate) a ratio to it is reported as 0.
constexpr double kMinRatioBaseUsd = 1.0;

}  // namespace buildout
