#include "progress.hpp"

#include <unistd.h>

#include <cmath>

#include "host/config/config_error.hpp"

namespace buildout {

ProgressMode parse_progress_mode(const std::string& s) {
  if (s == "auto") return ProgressMode::Auto;
  if (s == "bar") return ProgressMode::Bar;
  if (s == "log") return ProgressMode::Log;
  if (s == "none") return ProgressMode::None;
  throw UserError("--progress: expected auto, bar, log or none, got \"" + s + "\"");
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds)) return "--:--";
  const long s = std::lround(seconds);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%02ld:%02ld", s / 60, s % 60);
  return buf;
}

Progress::Progress(ProgressMode mode, std::uint64_t total, std::FILE* stream, double log_interval_s)
    : mode_(mode), total_(total), stream_(stream), log_interval_s_(log_interval_s),
      start_(std::chrono::steady_clock::now()), last_(start_) {
  if (mode_ == ProgressMode::Auto) mode_ = isatty(fileno(stream_)) ? ProgressMode::Bar : ProgressMode::Log;
}

std::string Progress::line(std::uint64_t done, double elapsed) const {
  const double rate = elapsed > 0 ? done / elapsed : 0.0;
  const double eta = rate > 0 ? (total_ - done) / rate : INFINITY;
  char buf[160];
  std::snprintf(buf, sizeof buf, "%llu/%llu paths (%.1f%%), %.0f paths/s, elapsed %s, ETA %s",
                static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_),
                total_ ? 100.0 * done / total_ : 100.0, rate, format_duration(elapsed).c_str(), format_duration(eta).c_str());
  return buf;
}

void Progress::update(std::uint64_t done) {
  done_ = done;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (mode_ == ProgressMode::Bar) {
    constexpr int kWidth = 30;
    const int filled = total_ ? static_cast<int>(kWidth * done / total_) : kWidth;
    std::fprintf(stream_, "\r[%s%s] %s", std::string(filled, '#').c_str(), std::string(kWidth - filled, '.').c_str(), line(done, elapsed).c_str());
    std::fflush(stream_);
    drew_ = true;
  } else if (mode_ == ProgressMode::Log && std::chrono::duration<double>(now - last_).count() >= log_interval_s_ && done < total_) {
    std::fprintf(stream_, "progress: %s\n", line(done, elapsed).c_str());
    std::fflush(stream_);
    last_ = now;
  }
}

void Progress::finish() {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (mode_ == ProgressMode::Bar && drew_) std::fprintf(stream_, "\n");
  else if (mode_ == ProgressMode::Log) std::fprintf(stream_, "progress: %s\n", line(done_, elapsed).c_str());
  std::fflush(stream_);
}

}  // namespace buildout
