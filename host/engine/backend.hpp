#pragma once
// Where paths are computed. Both backends run kernels/path_kernel.hpp: the CPU
// backend on OpenMP threads, the CUDA backend one GPU thread a path.
// They differ only in how paths are handed out and where memory lives.
#include <cstdint>
#include <memory>
#include <string>

#include "host/model/compiled_model.hpp"
#include "batch_partials.hpp"
#include "path_buffers.hpp"

namespace buildout {

enum class BackendKind { Cpu, Cuda };
const char* backend_name(BackendKind kind);  // "cpu", "cuda": as in --device and summary.json

class Backend {
 public:
  virtual ~Backend() = default;
  virtual BackendKind kind() const = 0;
  std::string name() const { return backend_name(kind()); }
  virtual std::string device() const = 0;  // e.g. "2 OpenMP threads", "NVIDIA H200"
  // Whether it runs the path kernel's compact build (runs_compact_kernel, below) or the full one.
  virtual bool compact_kernel() const = 0;
  // Computes paths [first, first + count) into out (count <= out.stride).
  virtual void run(std::uint64_t first, std::uint64_t count, PathBuffers& out) = 0;
  // Whether run_reduced is offered: the batch is reduced where it was computed and only its
  // partials come back (the CUDA backend); otherwise the aggregation reads the batch itself.
  virtual bool reduces_batches() const { return false; }
  // Computes paths [first, first + count) (count <= batch) and reduces them under plan.
  virtual void run_reduced(std::uint64_t first, std::uint64_t count, std::uint64_t batch, const BatchPlan& plan, BatchPartials& out);
};

// Which build of the path kernel a backend runs (kernels/path_bounds.hpp). Fitted: the compact
// one when the model fits it, else the full one; Full: the full one always, for tests and
// benchmarks that hold the two equal or weigh them.
enum class PathKernelSize { Fitted, Full };
// Whether a backend asked for size runs model's compact build.
bool runs_compact_kernel(const CompiledModel& model, PathKernelSize size);

// threads <= 0: all cores.
std::unique_ptr<Backend> make_cpu_backend(const CompiledModel& model, int threads, PathKernelSize size = PathKernelSize::Fitted);

bool cuda_backend_built();
// Usable CUDA devices; 0 when none or when the backend is not built.
int cuda_device_count();
// The CUDA path kernel's register cap, which sets how many warps an SM holds
// (host/engine/cuda_backend.cu). Capped168, what runs: 12 warps and no spills. Capped128, built for
// the compact kernel only, holds 16 warps but spills; the benchmarks that scripts/gpu-check.sh
// runs time both, to weigh the two on a GPU.
enum class PathRegisters { Capped168, Capped128 };

// Throws UserError when the backend is not built, no GPU is present, or a register cap other than
// Capped168 is asked of the full kernel.
std::unique_ptr<Backend> make_cuda_backend(const CompiledModel& model, PathKernelSize size = PathKernelSize::Fitted,
                                           PathRegisters registers = PathRegisters::Capped168);

// For benchmarks: draws `per_path` Philox normals on each of `paths` GPU
// threads (kernel time only). Throws UserError without a GPU.
void cuda_draw_normals(std::uint64_t seed, std::uint64_t paths, int per_path);

// What --device asks for: a backend, or auto (CUDA when a GPU is visible, else CPU).
enum class DeviceChoice { Auto, Cpu, Cuda };
// "auto" | "cpu" | "cuda"; anything else is a UserError.
DeviceChoice parse_device(const std::string& text);

std::unique_ptr<Backend> make_backend(DeviceChoice device, const CompiledModel& model, int threads);

}  // namespace buildout
