#!/usr/bin/env bash
# The one script to run on a GPU machine: build with CUDA for this GPU, run the tests
# (parity included), run base.toml with 10 million paths on the GPU, and run the benchmarks.
# Logs go under $OUT when it is set (else gpu-check/). Prints paths/s at the end.
# On a machine that cannot install packages, first run scripts/gpu-deps.sh where it can
# and carry .gpu-deps along; its packages are unpacked under .gpu-deps/root here.
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-gpu-check}"
mkdir -p "$out"
export PATH="/usr/local/cuda/bin:$PATH"
status=0
step() { echo "== $1"; }

step "machine"
{ nvidia-smi || true; nvcc --version; nproc; } 2>&1 | tee "$out/machine.log"

step "setup and build (CUDA for the native architecture)"
if [ -d .gpu-deps ] && [ ! -f /usr/include/CLI/CLI.hpp ]; then
  root="$PWD/.gpu-deps/root"
  mkdir -p "$root"
  for deb in .gpu-deps/*.deb; do dpkg -x "$deb" "$root"; done
  export CMAKE_PREFIX_PATH="$root/usr${CMAKE_PREFIX_PATH:+:$CMAKE_PREFIX_PATH}"
  export LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  setup="true"  # packages come from .gpu-deps
else
  setup="scripts/setup.sh"
fi
{ $setup && BUILD_DIR=build-gpu BUILDOUT_CUDA=ON BUILDOUT_CUDA_ARCHITECTURES=native scripts/build.sh; } \
  > "$out/build.log" 2>&1 || { echo "build failed, see $out/build.log"; tail -30 "$out/build.log"; exit 1; }
grep -E "spill|registers" "$out/build.log" | tee "$out/ptxas.log"

step "tests (CPU backend, and CPU/GPU parity on the GPU)"
ctest --test-dir build-gpu --output-on-failure -j"$(nproc)" > "$out/tests.log" 2>&1 || status=1
tail -5 "$out/tests.log"
build-gpu/tests/buildout_tests --gtest_filter='Parity.*' 2>&1 | tee "$out/parity.log" | grep -E "parity:|OK|FAILED|SKIPPED"

step "base.toml, 10 million paths on the GPU"
build-gpu/buildout run configs/base.toml --paths 10000000 --device cuda --progress log --out "$out/results-gpu" \
  > "$out/run-gpu.log" 2>&1 || status=1
grep -E "backend|memory|simulated" "$out/run-gpu.log"

step "same config, 200k paths on the CPU backend, for the ratio"
build-gpu/buildout run configs/base.toml --paths 200000 --device cpu --progress none --out "$out/results-cpu" \
  > "$out/run-cpu.log" 2>&1 || status=1
grep -E "backend|simulated" "$out/run-cpu.log"

step "benchmarks"
if [ -x build-gpu/bench/buildout_bench ]; then
  build-gpu/bench/buildout_bench --benchmark_min_time=0.5 2>&1 | tee "$out/bench.log" | grep -vE "^-|^Run on|CPU Caches|L[123]|Load Average"
fi

step "summary"
gpu=$(grep -oE "[0-9]+ paths/s" "$out/run-gpu.log" | tail -1)
cpu=$(grep -oE "[0-9]+ paths/s" "$out/run-cpu.log" | tail -1)
echo "GPU: ${gpu:-n/a}; CPU ($(nproc) threads): ${cpu:-n/a}" | tee "$out/summary.txt"
exit $status
