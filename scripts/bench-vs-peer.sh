#!/usr/bin/env bash
# Engine (CPU backend, all threads) against the NumPy peer on the same config and
# path count, one after the other in one run (the engine three times before and
# three times after the peer); then whether their answers agree, the engine
# against its own bound (stream normals/s over random numbers per path), and last
# `ratio: X`, the engine's simulation paths/s over the peer's.
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

# The engine runs three times before and three times after the peer, and its
# rate is its paths over its summed times: a time average over ~20 s, like the
# peer's one ~40 s run, so a neighbour's burst of a few seconds weighs on both
# alike, and the machine's drift over the peer's run lands on both sides.
engine_runs=3
engine() {  # one engine run; prints its simulation and wall seconds
  local code=0
  build/buildout run "$config" --paths "$paths" --device cpu --progress none --out "$work/engine" > /dev/null 2> "$work/engine.log" || code=$?
  if [ "$code" -ne 0 ]; then
    echo "bench-vs-peer: the engine failed (exit $code):" >&2; cat "$work/engine.log" >&2; exit "$code"
  fi
  sed -nE 's/^simulated [0-9]+ paths in ([0-9.]+) s .*wall time ([0-9.]+) s$/\1 \2/p' "$work/engine.log"
}
engine_times() { for _ in $(seq "$engine_runs"); do engine; done; }
before=$(engine_times)
scripts/python-numpy.sh scripts/numpy_peer.py "$config" --paths "$paths" --dump "$work/peer.npz" > "$work/peer.json"
after=$(engine_times)
e_sim=$(printf '%s\n%s\n' "$before" "$after" | awk '{ s += $1; n++ } END { print s / n }')
e_wall=$(printf '%s\n%s\n' "$before" "$after" | awk '{ s += $2; n++ } END { print s / n }')
list() { printf '%s\n' "$1" | awk '{ printf "%s%s", (NR > 1 ? ", " : ""), $1 }'; }
read -r p_sim p_wall < <(scripts/python-numpy.sh -c "import json; d = json.load(open('$work/peer.json')); print(d['simulate_seconds'], d['seconds'])")
per_path=$(grep -oE 'up to [0-9]+ random numbers per path' "$work/engine.log" | grep -oE '[0-9]+')

rate() { awk -v n="$paths" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; }
echo "config $config, $paths paths, $threads cores, $per_path random numbers per path"
echo "engine: $(rate "$e_sim") paths/s simulating ($(list "$before") s before the peer, $(list "$after") s after), $(rate "$e_wall") paths/s end to end on $threads threads"
echo "peer:   $(rate "$p_sim") paths/s simulating ($p_sim s), $(rate "$p_wall") paths/s end to end ($p_wall s), NumPy"

agreement=$(scripts/python-numpy.sh scripts/peer_agreement.py "$work/engine" "$work/peer.npz" | tail -1) || true
echo "$agreement"

normals=$(build/bench/buildout_bench --benchmark_filter='BM_StreamNormals_Host$' --benchmark_min_time=0.5 --benchmark_format=json 2>/dev/null |
  scripts/python-numpy.sh -c "import json, sys; print(json.load(sys.stdin)['benchmarks'][0]['items_per_second'])")
awk -v n="$normals" -v k="$per_path" -v t="$threads" -v e="$(rate "$e_sim")" 'BEGIN {
  bound = n * t / k
  printf "bound: %.1fM stream normals/s per thread x %d threads / %d per path = %.0f paths/s; engine at %.0f%% of it\n", n / 1e6, t, k, bound, 100 * e / bound }'
awk -v e="$e_wall" -v p="$p_wall" 'BEGIN { printf "end-to-end ratio: %.1f\n", p / e }'
awk -v e="$e_sim" -v p="$p_sim" 'BEGIN { printf "ratio: %.1f\n", p / e }'
