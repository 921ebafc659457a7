#include "ranks.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#ifdef BUILDOUT_WITH_MPI
#include <mpi.h>
#endif

namespace buildout {
namespace {
const Ranks* g_world = nullptr;
}  // namespace

Ranks::Ranks(int& argc, char**& argv) {
#ifdef BUILDOUT_WITH_MPI
  // Only under a launcher: a plain run needs no MPI runtime.
  if (std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMIX_RANK") || std::getenv("PMI_RANK")) {
    MPI_Init(&argc, &argv);
    mpi_ = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
#else
  (void)argc;
  (void)argv;
  // Without MPI every process under mpirun would run, and write, the whole job.
  const char* world = std::getenv("OMPI_COMM_WORLD_SIZE");
  if (world && std::atoi(world) > 1) {
    std::fprintf(stderr, "error: this buildout was built without MPI (BUILDOUT_MPI=OFF or no Open MPI found); "
                         "under mpirun each process would run the whole job. Rebuild with libopenmpi-dev installed.\n");
    std::exit(2);
  }
#endif
  g_world = this;
}

Ranks::~Ranks() {
  if (g_world == this) g_world = nullptr;
#ifdef BUILDOUT_WITH_MPI
  if (mpi_) MPI_Finalize();
#endif
}

bool Ranks::built_with_mpi() {
#ifdef BUILDOUT_WITH_MPI
  return true;
#else
  return false;
#endif
}

const Ranks& Ranks::world() {
  static const Ranks single;
  return g_world ? *g_world : single;
}

void Ranks::range(std::uint64_t paths, std::uint64_t block, std::uint64_t& first, std::uint64_t& end) const {
  const std::uint64_t blocks = (paths + block - 1) / block;
  const auto edge = [&](int r) { return std::min(paths, blocks * static_cast<std::uint64_t>(r) / size_ * block); };
  first = edge(rank_);
  end = edge(rank_ + 1);
}

std::vector<std::string> Ranks::gather(std::string bytes) const {
  std::vector<std::string> all;
  gather_each(std::move(bytes), [&](int, std::string& b) { all.push_back(std::move(b)); });
  return all;
}

void Ranks::gather_each(std::string bytes, const std::function<void(int, std::string&)>& take) const {
  if (root()) take(0, bytes);
  if (size_ == 1) return;
#ifdef BUILDOUT_WITH_MPI
  const long long mine = static_cast<long long>(bytes.size());
  std::vector<long long> sizes(root() ? size_ : 0);
  MPI_Gather(&mine, 1, MPI_LONG_LONG, sizes.data(), 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  if (root()) {
    std::string theirs;
    for (int r = 1; r < size_; ++r) {
      theirs.assign(static_cast<std::size_t>(sizes[r]), '\0');
      MPI_Recv(theirs.data(), static_cast<int>(sizes[r]), MPI_CHAR, r, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      take(r, theirs);
    }
  } else {
    MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_CHAR, 0, 0, MPI_COMM_WORLD);
  }
#else
  throw std::logic_error("Ranks: more than one rank without MPI");
#endif
}

void Ranks::broadcast(std::string& bytes) const {
  if (size_ == 1) return;
#ifdef BUILDOUT_WITH_MPI
  long long n = static_cast<long long>(bytes.size());
  MPI_Bcast(&n, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  bytes.resize(static_cast<std::size_t>(n));
  MPI_Bcast(bytes.data(), static_cast<int>(n), MPI_CHAR, 0, MPI_COMM_WORLD);
#endif
}

int Ranks::any_of(int bits) const {
  if (size_ == 1) return bits;
#ifdef BUILDOUT_WITH_MPI
  int all = 0;
  MPI_Allreduce(&bits, &all, 1, MPI_INT, MPI_BOR, MPI_COMM_WORLD);
  return all;
#else
  return bits;
#endif
}

double Ranks::max_of(double x) const {
  if (size_ == 1) return x;
#ifdef BUILDOUT_WITH_MPI
  double all = 0;
  MPI_Allreduce(&x, &all, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return all;
#else
  return x;
#endif
}

void Ranks::abort(int code) const {
#ifdef BUILDOUT_WITH_MPI
  if (mpi_ && size_ > 1) MPI_Abort(MPI_COMM_WORLD, code);
#endif
  std::exit(code);
}

}  // namespace buildout
