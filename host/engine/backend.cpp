// Backend choice: the one place that maps --device to a backend.
#include "backend.hpp"

#include <stdexcept>

#include "kernels/path_bounds.hpp"
#include "host/config/config_error.hpp"

namespace buildout {

const char* backend_name(BackendKind kind) { return kind == BackendKind::Cuda ? "cuda" : "cpu"; }

void Backend::run_reduced(std::uint64_t, std::uint64_t, std::uint64_t, const BatchPlan&, BatchPartials&) {
  throw std::logic_error("the " + name() + " backend does not reduce batches where it computes them");
}

bool runs_compact_kernel(const CompiledModel& model, PathKernelSize size) {
  return size == PathKernelSize::Fitted && fits_path_bounds<CompactPathBounds>(model.view());
}

DeviceChoice parse_device(const std::string& text) {
  if (text == "auto") return DeviceChoice::Auto;
  if (text == "cpu") return DeviceChoice::Cpu;
  if (text == "cuda") return DeviceChoice::Cuda;
  throw UserError("--device: expected auto, cpu or cuda, got \"" + text + "\"");
}

std::unique_ptr<Backend> make_backend(DeviceChoice device, const CompiledModel& model, int threads) {
  switch (device) {
    case DeviceChoice::Cpu: return make_cpu_backend(model, threads);
    case DeviceChoice::Cuda: return make_cuda_backend(model);
    case DeviceChoice::Auto: break;
  }
  return cuda_device_count() > 0 ? make_cuda_backend(model) : make_cpu_backend(model, threads);
}

}  // namespace buildout
