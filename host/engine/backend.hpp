#pragma once
// Where paths are computed. Both backends run kernels/path_kernel.hpp; they
// differ only in the Thrust execution policy and where memory lives.
#include <cstdint>
#include <memory>
#include <string>

#include "../model/compiled_model.hpp"
#include "path_buffers.hpp"

namespace buildout {

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;    // "cpu" or "cuda"
  virtual std::string device() const = 0;  // e.g. "2 OpenMP threads", "NVIDIA H200"
  // Computes paths [first, first + count) into out (count <= out.stride).
  virtual void run(std::uint64_t first, std::uint64_t count, PathBuffers& out) = 0;
};

// threads <= 0: all cores.
std::unique_ptr<Backend> make_cpu_backend(const CompiledModel& model, int threads);

bool cuda_backend_built();
// Usable CUDA devices; 0 when none or when the backend is not built.
int cuda_device_count();
// Throws UserError when the backend is not built or no GPU is present.
std::unique_ptr<Backend> make_cuda_backend(const CompiledModel& model);

// For benchmarks: draws `per_path` Philox normals on each of `paths` GPU
// threads (kernel time only). Throws UserError without a GPU.
void cuda_draw_normals(std::uint64_t seed, std::uint64_t paths, int per_path);

// "auto" | "cpu" | "cuda".
std::unique_ptr<Backend> make_backend(const std::string& device, const CompiledModel& model, int threads);

}  // namespace buildout
