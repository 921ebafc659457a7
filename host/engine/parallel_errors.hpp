#pragma once
// An exception may not leave an OpenMP parallel region (the runtime would call std::terminate
// and the process would abort): each iteration's body runs through run(), which keeps the first
// exception, and rethrow() throws it once the region has ended.
#include <exception>

namespace buildout {

class ParallelErrors {
 public:
  template <typename F>
  void run(F&& body) noexcept {
    try {
      body();
    } catch (...) {
#pragma omp critical(buildout_parallel_errors)
      if (!first_) first_ = std::current_exception();
    }
  }
  void rethrow() const {
    if (first_) std::rethrow_exception(first_);
  }

 private:
  std::exception_ptr first_;
};

}  // namespace buildout
