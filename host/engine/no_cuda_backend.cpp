// Linked instead of cuda_backend.cu when the build has no CUDA backend.
#include "host/config/config_error.hpp"
#include "backend.hpp"

namespace buildout {

bool cuda_backend_built() { return false; }
int cuda_device_count() { return 0; }
std::unique_ptr<Backend> make_cuda_backend(const CompiledModel&, PathKernelSize, PathRegisters) {
  throw UserError("--device cuda: this build has no CUDA backend (configure with -DBUILDOUT_CUDA=ON)");
}

void cuda_draw_normals(std::uint64_t, std::uint64_t, int) {
  throw UserError("this build has no CUDA backend (configure with -DBUILDOUT_CUDA=ON)");
}

}  // namespace buildout
