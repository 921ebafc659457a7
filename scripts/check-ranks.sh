#!/usr/bin/env bash
# Runs base.toml as one process and under mpirun with 1, 2 and 3 ranks: the reports must be
# byte-identical. A 2-rank job stopped by SIGUSR1 (as scripts/slurm/buildout.sbatch passes on
# Slurm's warning) must checkpoint, exit 3 and resume to the same bytes; a checkpoint of 2 ranks is refused by 3. A job whose
# ranks disagree (one launched with another seed) must fail on every rank and write nothing.
# Usage: check-ranks.sh BUILDOUT_BINARY [PATHS]
set -euo pipefail
engine="$1"; paths="${2:-150000}"
command -v mpirun > /dev/null || { echo "check-ranks: no mpirun (apt-get install openmpi-bin libopenmpi-dev)" >&2; exit 1; }
# CI runs as root; the ranks share 2 cores.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
flags=(--batch 10000 --threads 1 --progress none)
common=(run --paths "$paths" "${flags[@]}")
"$engine" "${common[@]}" --percentiles streaming --out "$work/one" > "$work/one.log" 2>&1 || { cat "$work/one.log"; exit 1; }
for np in 1 2 3; do
  mpirun -np "$np" --oversubscribe "$engine" "${common[@]}" --out "$work/ranks$np" > "$work/ranks$np.log" 2>&1 \
    || { cat "$work/ranks$np.log"; exit 1; }
  for f in percentiles.csv sites.csv headline.md; do
    cmp -s "$work/one/$f" "$work/ranks$np/$f" || { echo "check-ranks: $np ranks: $f differs from one process" >&2; exit 1; }
  done
  echo "$np rank(s): percentiles.csv, sites.csv and headline.md byte-identical to one process"
done
# Fewer blocks of 65,536 paths than ranks: rank 0 has none, and the rank after it folds the first.
"$engine" run --paths 30000 "${flags[@]}" --percentiles streaming --out "$work/small" > "$work/small.log" 2>&1 || { cat "$work/small.log"; exit 1; }
mpirun -np 2 --oversubscribe "$engine" run --paths 30000 "${flags[@]}" --out "$work/small2" > "$work/small2.log" 2>&1 \
  || { cat "$work/small2.log"; exit 1; }
cmp -s "$work/small/percentiles.csv" "$work/small2/percentiles.csv" || { echo "check-ranks: 2 ranks, 1 block: percentiles.csv differs" >&2; exit 1; }
echo "2 ranks over one block (rank 0 has none): byte-identical to one process"
# SIGUSR1 to mpirun reaches every rank: they agree to checkpoint after the same batch and stop.
# (Open MPI's mpirun answers SIGTERM by killing the ranks 1 s later, odls_base_sigkill_timeout:
# on a busy machine that came before the checkpoint, 3 times in 4 with CPU and disk loaded.)
mpirun -np 2 --oversubscribe "$engine" "${common[@]}" --checkpoint "$work/ck.bin" --checkpoint-every 0 --out "$work/stopped" \
  > "$work/stopped.log" 2>&1 &
job=$!
# The first checkpoint may take a while on a busy machine (the summaries are ~70 MB).
for _ in $(seq 2400); do [ -s "$work/ck.bin" ] && break; sleep 0.05; done
[ -s "$work/ck.bin" ] || { echo "check-ranks: no checkpoint after 120 s" >&2; cat "$work/stopped.log"; exit 1; }
sleep 1
kill -USR1 "$job"
code=0
wait "$job" || code=$?
[ "$code" = 3 ] || { echo "check-ranks: a job stopped by SIGUSR1 exited $code, not 3" >&2; cat "$work/stopped.log"; exit 1; }
[ ! -e "$work/stopped/percentiles.csv" ] || { echo "check-ranks: a stopped job wrote its reports" >&2; exit 1; }
grep -q "resume with --resume" "$work/stopped.log" || { cat "$work/stopped.log"; exit 1; }
if mpirun -np 3 --oversubscribe "$engine" "${common[@]}" --resume "$work/ck.bin" --out "$work/wrong" > "$work/wrong.log" 2>&1; then
  echo "check-ranks: 3 ranks resumed a 2-rank checkpoint" >&2; exit 1
fi
grep -q "written by 2 rank(s), this run has 3" "$work/wrong.log" || { cat "$work/wrong.log"; exit 1; }
mpirun -np 2 --oversubscribe "$engine" "${common[@]}" --resume "$work/ck.bin" --out "$work/resumed" > "$work/resumed.log" 2>&1 \
  || { cat "$work/resumed.log"; exit 1; }
for f in percentiles.csv sites.csv headline.md; do
  cmp -s "$work/one/$f" "$work/resumed/$f" || { echo "check-ranks: resumed 2-rank job: $f differs" >&2; exit 1; }
done
echo "2 ranks stopped by SIGUSR1, checkpointed and resumed: byte-identical; 3 ranks refuse their checkpoint"

if mpirun --oversubscribe -np 1 "$engine" "${common[@]}" --out "$work/bad" : -np 1 "$engine" "${common[@]}" --seed 5 --out "$work/bad" \
    > "$work/bad.log" 2>&1; then
  echo "check-ranks: a job whose ranks disagree succeeded" >&2; exit 1
fi
[ ! -e "$work/bad" ] || { echo "check-ranks: a failed job wrote $work/bad" >&2; exit 1; }
grep -q "the ranks disagree" "$work/bad.log" || { cat "$work/bad.log"; exit 1; }
echo "a job whose ranks disagree: every rank exits non-zero, nothing written"
