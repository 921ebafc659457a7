#!/usr/bin/env bash
# The gain from quasi-Monte Carlo on a config: the spread of P(NPV > 0) and NPV P50 per player
# over R scrambles of --sampler sobol (seeds 1..R) against R Monte Carlo runs (--sampler philox,
# the same seeds) at equal paths. Prints each statistic's standard deviation under both and their
# variance ratio (how many times more Monte Carlo paths the same error would take).
# Usage: scripts/qmc-study.sh BUILDOUT [CONFIG] [PATHS=16384] [R=32]
set -euo pipefail
bin="$1"; config="${2:-}"; paths="${3:-16384}"; reps="${4:-32}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
for sampler in philox sobol; do
  for seed in $(seq 1 "$reps"); do
    "$bin" run $config --paths "$paths" --seed "$seed" --sampler "$sampler" --progress none --out "$work/$sampler/$seed" >/dev/null 2>&1
  done
done
python3 - "$work" "$reps" "$paths" <<'PY'
import csv, statistics, sys
from pathlib import Path
work, reps, paths = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
stats = [("p_npv_positive", "estimate", "P(NPV > 0)", 100.0, "points"), ("npv_usd_b", "p50", "NPV P50", 1.0, "$B")]
values = {}
for sampler in ("philox", "sobol"):
    for seed in range(1, reps + 1):
        for r in csv.DictReader(open(work / sampler / str(seed) / "percentiles.csv")):
            for metric, statistic, *_ in stats:
                if r["metric"] == metric and r["statistic"] == statistic:
                    values.setdefault((r["player"], metric, sampler), []).append(float(r["value"]))
print(f"{reps} seeds per sampler, {paths} paths each")
print(f"{'player':12s} {'statistic':12s} {'SD Monte Carlo':>15s} {'SD Sobol':>10s} {'variance ratio':>15s}")
for player in dict.fromkeys(k[0] for k in values):
    for metric, _, label, scale, unit in stats:
        mc = statistics.stdev(values[(player, metric, "philox")]) * scale
        qmc = statistics.stdev(values[(player, metric, "sobol")]) * scale
        ratio = (mc / qmc) ** 2 if qmc > 0 else float("inf")
        print(f"{player:12s} {label:12s} {mc:11.3f} {unit:>3s} {qmc:10.3f} {ratio:15.1f}")
PY
