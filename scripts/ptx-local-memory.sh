#!/usr/bin/env bash
# The path kernel's local memory, statically: builds host/engine/cuda_backend.cu to PTX for sm_90
# and counts the ld.local and st.local instructions in the path kernel's entry functions (its
# compact and full builds, kernels/path_bounds.hpp, at the register cap that runs), then runs
# ptxas -v for registers, stack frame and spills; then ptxas's lines for the compact build at 128
# registers, which the benchmarks time beside it, and for the batch reduction's kernel
# (kernels/batch_reduce.hpp). Needs nvcc (no GPU).
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
# The register cap the path kernel runs at; run_paths<cap, PathKernel<...>> mangles it as ILi<cap>E.
cap="$(sed -nE 's/^constexpr int kPathRegisters = ([0-9]+);.*/\1/p' host/engine/cuda_backend.cu)"
[ -n "$cap" ] || { echo "ptx-local-memory: no kPathRegisters in host/engine/cuda_backend.cu" >&2; exit 1; }
# The path kernel is built for two sizes of per-path arrays (kernels/path_bounds.hpp).
for size in Compact Full; do
  # The entry of run_paths<cap, PathKernel<...PathBounds>>, from its .entry line to the next entry.
  entry="ILi${cap}ENS_10PathKernelINS_$(( ${#size} + 10 ))${size}PathBounds"  # the mangled name's part
  awk -v name="$entry" '/\.entry / { inside = index($0, name) > 0 } inside' "$work/backend.ptx" > "$work/path_kernel.ptx"
  [ -s "$work/path_kernel.ptx" ] || { echo "ptx-local-memory: no $size path kernel entry at $cap registers in the PTX" >&2; exit 1; }
  label="$(echo "$size" | tr 'A-Z' 'a-z') path kernel"
  echo "$label PTX ($arch): $(grep -c 'ld\.local' "$work/path_kernel.ptx") ld.local, $(grep -c 'st\.local' "$work/path_kernel.ptx") st.local, $(grep -cE '^\s+[a-z]' "$work/path_kernel.ptx") instructions (static)"
  entry_lines "$entry" "$label ptxas: "
done
entry_lines "ILi128ENS_10PathKernelINS_17CompactPathBounds" "compact path kernel at 128 registers ptxas: "
entry_lines BatchReduceView "batch reduction ptxas: "
