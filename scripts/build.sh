#!/usr/bin/env bash
# Configures and builds Buildout in build/ (or $BUILD_DIR). The CPU backend is always built;
# the CUDA backend too when nvcc is found (BUILDOUT_CUDA=AUTO|ON|OFF to choose).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/local/cuda/bin/nvcc ] && export PATH="/usr/local/cuda/bin:$PATH"
build_dir="${BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILDOUT_CUDA="${BUILDOUT_CUDA:-AUTO}" \
  ${BUILDOUT_CUDA_ARCHITECTURES:+-DBUILDOUT_CUDA_ARCHITECTURES="$BUILDOUT_CUDA_ARCHITECTURES"} >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
