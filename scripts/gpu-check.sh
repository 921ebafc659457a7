#!/usr/bin/env bash
# The one script to run on a GPU machine, in about 8 minutes on an H200:
#   1. build with CUDA for sm_90 (BUILDOUT_CUDA_ARCHITECTURES overrides), ptxas's summary of the
#      path kernel's compact and full builds (registers, stack frame, spills) and their PTX's
#      ld.local / st.local counts;
#   2. the CPU/GPU parity test, under both samplers, and the device reduction against the host's;
#   3. base.toml with 100 million paths on the GPU (streaming: bounded host memory), paths/s;
#   4. the GPU benchmarks (path kernel and Philox draws on the device, the CPU path kernel beside;
#      the compact path kernel at its 168-register cap, 12 warps an SM, and at 128, 16 warps);
#   5. every figure in one JSON file, $OUT/gpu-check.json.
# Logs go under $OUT when it is set (else gpu-check/). On a machine that cannot install packages,
# first run scripts/gpu-deps.sh where it can and carry .gpu-deps along; its packages are unpacked
# under .gpu-deps/root here.
# GPU_CHECK_DEVICE=cpu GPU_CHECK_PATHS=20000 runs the same steps on the CPU backend (to check the
# script itself on a machine without a GPU; the parity test then reports itself skipped).
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-gpu-check}"
mkdir -p "$out"
export PATH="/usr/local/cuda/bin:$PATH"
device="${GPU_CHECK_DEVICE:-cuda}"
paths="${GPU_CHECK_PATHS:-100000000}"
status=0
step() { echo "== $1 ($(date +%T))"; }

step "machine"
{ nvidia-smi || true; nvcc --version; nproc; } > "$out/machine.log" 2>&1
grep -E "NVIDIA H|Tesla|Driver Version|release" "$out/machine.log" || true

step "setup and build (CUDA for sm_${BUILDOUT_CUDA_ARCHITECTURES:-90})"
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
{ $setup && BUILD_DIR=build-gpu BUILDOUT_CUDA=ON BUILDOUT_CUDA_ARCHITECTURES="${BUILDOUT_CUDA_ARCHITECTURES:-90}" scripts/build.sh; } \
  > "$out/build.log" 2>&1 || { echo "build failed, see $out/build.log"; tail -30 "$out/build.log"; exit 1; }
scripts/ptx-local-memory.sh "sm_${BUILDOUT_CUDA_ARCHITECTURES:-90}" 2>&1 | tee "$out/ptxas.log"

step "CPU/GPU parity (Philox and Sobol'), the device reduction"
build-gpu/tests/unit/buildout_unit_tests --gtest_filter='Parity.*:BatchReduce.*' > "$out/parity.log" 2>&1 || status=1
grep -E "parity|OK|FAILED|SKIPPED" "$out/parity.log" | head -6

step "base.toml, $paths paths on the $device backend (streaming)"
build-gpu/buildout run configs/base.toml --paths "$paths" --device "$device" --percentiles streaming --progress log \
  --out "$out/results" > "$out/run.log" 2>&1 || status=1
grep -E "^backend|^memory|^simulated|^time:" "$out/run.log"

step "benchmarks"
if [ -x build-gpu/bench/buildout_bench ]; then
  build-gpu/bench/buildout_bench --benchmark_filter='PathKernel|StreamNormals' --benchmark_min_time=0.5 \
    --benchmark_out="$out/bench.json" --benchmark_out_format=json > "$out/bench.log" 2>&1 || status=1
  grep -E "^BM_" "$out/bench.log"
fi

step "summary"
python3 - "$out" "$device" "$paths" <<'PY'
import json, re, sys
from pathlib import Path
out, device, paths = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
def text(name):
    p = out / name
    return p.read_text(errors="replace") if p.exists() else ""
def number(pattern, s, cast=float):
    m = re.search(pattern, s)
    return cast(m.group(1)) if m else None
ptx, run, parity = text("ptxas.log"), text("run.log"), text("parity.log")
def outcome(test):  # a gtest's result in parity.log
    for mark, word in (("[  SKIPPED ] ", "skipped"), ("[       OK ] ", "passed"), ("[  FAILED  ] ", "failed")):
        if mark + test in parity:
            return word
    return "not run"
machine = text("machine.log")
summary = {
    "device": device,
    "gpu": number(r"(NVIDIA [^|\n]*?)\s{2,}", machine, str),
    # The path kernel's two builds (kernels/path_bounds.hpp); base.toml runs the compact one.
    **{f"path_kernel_{size}": {
        "ld_local": number(rf"{size} path kernel PTX.*?(\d+) ld\.local", ptx, int),
        "st_local": number(rf"{size} path kernel PTX.*?(\d+) st\.local", ptx, int),
        "ptx_instructions": number(rf"{size} path kernel PTX.*?(\d+) instructions", ptx, int),
        "stack_frame_bytes": number(rf"{size} path kernel ptxas: +(\d+) bytes stack frame", ptx, int),
        "spill_store_bytes": number(rf"{size} path kernel ptxas: .*?(\d+) bytes spill stores", ptx, int),
        "spill_load_bytes": number(rf"{size} path kernel ptxas: .*?(\d+) bytes spill loads", ptx, int),
        "registers": number(rf"{size} path kernel ptxas: Used (\d+) registers", ptx, int),
    } for size in ("compact", "full")},
    # The compact build at 128 registers (16 warps an SM, spilling), timed beside it in the benchmarks.
    "path_kernel_compact_128_registers": {
        "stack_frame_bytes": number(r"compact path kernel at 128 registers ptxas: +(\d+) bytes stack frame", ptx, int),
        "spill_store_bytes": number(r"compact path kernel at 128 registers ptxas: .*?(\d+) bytes spill stores", ptx, int),
        "spill_load_bytes": number(r"compact path kernel at 128 registers ptxas: .*?(\d+) bytes spill loads", ptx, int),
        "registers": number(r"compact path kernel at 128 registers ptxas: Used (\d+) registers", ptx, int),
    },
    "batch_reduction_kernel": {
        "stack_frame_bytes": number(r"batch reduction ptxas: +(\d+) bytes stack frame", ptx, int),
        "spill_store_bytes": number(r"batch reduction ptxas: .*?(\d+) bytes spill stores", ptx, int),
        "registers": number(r"batch reduction ptxas: Used (\d+) registers", ptx, int),
    },
    "parity": {
        "philox_share_beyond_tolerance_pct": number(r"parity \(philox\).*: ([0-9.e+-]+)% of values", parity),
        "sobol_share_beyond_tolerance_pct": number(r"parity \(sobol\).*: ([0-9.e+-]+)% of values", parity),
        "result": outcome("Parity.CpuAndGpuAgreePathByPath"),
    },
    "device_reduction": outcome("BatchReduce.OnTheGpuTheSameTablesAsTheHostFromTheGpusValues"),
    "run": {
        "paths": paths,
        "passes": number(r"simulated \d+ paths (\d+) times", run, int) or 1,
        "simulate_s": number(r"time: simulate ([0-9.]+) s", run),
        "aggregate_s": number(r"aggregate ([0-9.]+) s", run),
        "paths_per_s": number(r"\(([0-9.]+) paths/s\)", run),
    },
}
bench = out / "bench.json"
if bench.exists():
    summary["benchmarks"] = [{k: b.get(k) for k in ("name", "real_time", "time_unit", "items_per_second")}
                             for b in json.loads(bench.read_text())["benchmarks"]]
(out / "gpu-check.json.tmp").write_text(json.dumps(summary, indent=2) + "\n")
(out / "gpu-check.json.tmp").rename(out / "gpu-check.json")
print(json.dumps(summary, indent=2))
PY
exit $status
