#pragma once
// Progress of a long run on stderr: a redrawn bar on a terminal, plain log
// lines (at most one per interval) otherwise.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace buildout {

enum class ProgressMode { Auto, Bar, Log, None };
ProgressMode parse_progress_mode(const std::string& s);  // throws UserError

class Progress {
 public:
  Progress(ProgressMode mode, std::uint64_t total, std::FILE* stream = stderr, double log_interval_s = 5.0);
  void update(std::uint64_t done);
  void finish();

 private:
  ProgressMode mode_;
  std::uint64_t total_, done_ = 0;
  std::FILE* stream_;
  double log_interval_s_;
  std::chrono::steady_clock::time_point start_, last_;
  bool drew_ = false;
  std::string line(std::uint64_t done, double elapsed) const;
};

std::string format_duration(double seconds);

}  // namespace buildout
