#!/usr/bin/env bash
# Engine (CPU backend, all threads) against the NumPy peer on the same config and
# path count, one after the other in one run (the engine before and after the peer);
# then whether their answers agree, the engine against its own bound (Philox
# normals/s over random numbers per path), and last `ratio: X`, the engine's
# simulation paths/s over the peer's.
# Usage: scripts/bench-vs-peer.sh [PATHS] [CONFIG]   (defaults: 200000, configs/base.toml)
set -euo pipefail
cd "$(dirname "$0")/.."
paths="${1:-200000}"; config="${2:-configs/base.toml}"
if ! [[ "$paths" =~ ^[1-9][0-9]*$ ]]; then
  echo "bench-vs-peer: PATHS: expected a positive integer, got \"$paths\"" >&2; exit 2
fi
[ -f "$config" ] || { echo "bench-vs-peer: CONFIG: no such file: $config" >&2; exit 2; }
[ -x build/buildout ] && [ -x build/bench/buildout_bench ] || scripts/build.sh > /dev/null
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
threads=$(nproc)

# The engine runs once before and once after the peer, and its times are the mean of
# the two: the machine's load drifts over the peer's long run, and bracketing it
# keeps that drift from landing on one side of the ratio.
engine() {  # one engine run; prints its simulation and wall seconds
  local code=0
  build/buildout run "$config" --paths "$paths" --device cpu --progress none --out "$work/engine" > /dev/null 2> "$work/engine.log" || code=$?
  if [ "$code" -ne 0 ]; then
    echo "bench-vs-peer: the engine failed (exit $code):" >&2; cat "$work/engine.log" >&2; exit "$code"
  fi
  sed -nE 's/^simulated [0-9]+ paths in ([0-9.]+) s .*wall time ([0-9.]+) s$/\1 \2/p' "$work/engine.log"
}
times=$(engine); read -r e_sim1 e_wall1 <<< "$times"
scripts/python-numpy.sh scripts/numpy_peer.py "$config" --paths "$paths" --dump "$work/peer.npz" > "$work/peer.json"
times=$(engine); read -r e_sim2 e_wall2 <<< "$times"
e_sim=$(awk -v a="$e_sim1" -v b="$e_sim2" 'BEGIN { print (a + b) / 2 }')
e_wall=$(awk -v a="$e_wall1" -v b="$e_wall2" 'BEGIN { print (a + b) / 2 }')
read -r p_sim p_wall < <(scripts/python-numpy.sh -c "import json; d = json.load(open('$work/peer.json')); print(d['simulate_seconds'], d['seconds'])")
per_path=$(grep -oE '[0-9]+ random numbers per path' "$work/engine.log" | grep -oE '^[0-9]+')

rate() { awk -v n="$paths" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; }
echo "config $config, $paths paths, $threads cores, $per_path random numbers per path"
echo "engine: $(rate "$e_sim") paths/s simulating ($e_sim1 s before the peer, $e_sim2 s after), $(rate "$e_wall") paths/s end to end on $threads threads"
echo "peer:   $(rate "$p_sim") paths/s simulating ($p_sim s), $(rate "$p_wall") paths/s end to end ($p_wall s), NumPy"

agreement=$(scripts/python-numpy.sh scripts/peer_agreement.py "$work/engine" "$work/peer.npz" | tail -1) || true
echo "$agreement"

normals=$(build/bench/buildout_bench --benchmark_filter='BM_PhiloxNormals_Host$' --benchmark_min_time=0.5 --benchmark_format=json 2>/dev/null |
  scripts/python-numpy.sh -c "import json, sys; print(json.load(sys.stdin)['benchmarks'][0]['items_per_second'])")
awk -v n="$normals" -v k="$per_path" -v t="$threads" -v e="$(rate "$e_sim")" 'BEGIN {
  bound = n * t / k
  printf "bound: %.1fM Philox normals/s per thread x %d threads / %d per path = %.0f paths/s; engine at %.0f%% of it\n", n / 1e6, t, k, bound, 100 * e / bound }'
awk -v e="$e_wall" -v p="$p_wall" 'BEGIN { printf "end-to-end ratio: %.1f\n", p / e }'
awk -v e="$e_sim" -v p="$p_sim" 'BEGIN { printf "ratio: %.1f\n", p / e }'
