#pragma once
// The processes of one run. Under mpirun (Buildout built with MPI), MPI's
// ranks; otherwise one process. Every rank simulates its share of the paths;
// rank 0 merges the summaries in a fixed order and writes the reports.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace buildout {

class Ranks {
 public:
  // Starts MPI when the binary was built with it and mpirun launched it.
  Ranks(int& argc, char**& argv);
  ~Ranks();
  Ranks(const Ranks&) = delete;
  Ranks& operator=(const Ranks&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool root() const { return rank_ == 0; }
  // The paths of this rank: a contiguous run of whole blocks of `block` paths,
  // ranks in order, so rank r's paths precede rank r + 1's.
  void range(std::uint64_t paths, std::uint64_t block, std::uint64_t& first, std::uint64_t& end) const;
  // Root receives every rank's bytes in rank order (its own first); the others get nothing.
  std::vector<std::string> gather(std::string bytes) const;
  // Root calls `take(rank, bytes)` for every rank's bytes in rank order (its own first),
  // receiving one rank's at a time, so it never holds more than one; the others send theirs.
  void gather_each(std::string bytes, const std::function<void(int, std::string&)>& take) const;
  // Every rank gets root's bytes.
  void broadcast(std::string& bytes) const;
  // The bitwise OR of every rank's `bits`, on every rank.
  int any_of(int bits) const;
  // The largest of every rank's `x`, on every rank.
  double max_of(double x) const;
  // Ends every rank with `code`: one rank's failure fails the whole run.
  [[noreturn]] void abort(int code) const;

  static bool built_with_mpi();
  static const Ranks& world();  // the one made in main; one rank before that

 private:
  Ranks() = default;
  int rank_ = 0, size_ = 1;
  bool mpi_ = false;
};

}  // namespace buildout
