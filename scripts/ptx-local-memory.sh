#!/usr/bin/env bash
# The path kernel's local memory, statically, for the GPU-first kernel work (issue 10): builds
# host/engine/cuda_backend.cu to PTX for sm_90 and counts the ld.local and st.local instructions
# in the path kernel's entry functions (its compact and full builds, kernels/path_bounds.hpp),
# then runs ptxas -v for registers, stack frame and spills; then ptxas's line for the batch
# reduction's kernel (kernels/batch_reduce.hpp). Needs nvcc (no GPU).
# Usage: scripts/ptx-local-memory.sh [ARCH]   (default sm_90)
set -euo pipefail
cd "$(dirname "$0")/.."
arch="${1:-sm_90}"
nvcc="$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)"
[ -x "$nvcc" ] || { echo "ptx-local-memory: no nvcc (install the CUDA 13 toolkit)" >&2; exit 2; }
cuda_include="$(dirname "$(dirname "$nvcc")")/include"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$nvcc" -std=c++17 -arch="$arch" --expt-relaxed-constexpr -I. -I"$cuda_include/cccl" -ptx host/engine/cuda_backend.cu -o "$work/backend.ptx"
"$nvcc" -arch="$arch" -cubin -Xptxas -v "$work/backend.ptx" -o "$work/backend.cubin" 2> "$work/ptxas.log"
# ptxas's lines for the entry whose name holds $1, prefixed with $2.
entry_lines() {
  awk -v name="$1" -v prefix="$2" '/Compiling entry function|Function properties for/ { inside = index($0, name) > 0 }
    inside && /stack frame|registers/ { sub(/^ptxas info *: */, ""); print prefix $0 }' "$work/ptxas.log"
}
# The path kernel is built for two sizes of per-path arrays (kernels/path_bounds.hpp).
for size in Compact Full; do
  # The entry whose name holds PathKernel<...PathBounds>, from its .entry line to the next entry.
  awk -v name="PathKernel.*${size}PathBounds" '/\.entry / { inside = ($0 ~ name) } inside' "$work/backend.ptx" > "$work/path_kernel.ptx"
  [ -s "$work/path_kernel.ptx" ] || { echo "ptx-local-memory: no $size path kernel entry in the PTX" >&2; exit 1; }
  label="$(echo "$size" | tr 'A-Z' 'a-z') path kernel"
  echo "$label PTX ($arch): $(grep -c 'ld\.local' "$work/path_kernel.ptx") ld.local, $(grep -c 'st\.local' "$work/path_kernel.ptx") st.local, $(grep -cE '^\s+[a-z]' "$work/path_kernel.ptx") instructions (static)"
  entry_lines "${size}PathBounds" "$label ptxas: "
done
entry_lines BatchReduceView "batch reduction ptxas: "
