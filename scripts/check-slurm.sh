#!/usr/bin/env bash
# Runs scripts/slurm/buildout.sbatch on a real single-node Slurm started here (Debian's munge and
# slurm-wlm: munged, slurmctld, slurmd, as root): a 2-rank job gets Slurm's time-limit warning
# (SIGUSR1 to the batch shell, what --signal=B:USR1@300 sends) while it runs, checkpoints, requeues
# itself, resumes, and must write the one-process reports byte for byte. The GPU request is
# overridden (--gpus-per-task=0): this machine has none.
# If Slurm does not come up within a minute, it says why and checks the script's launch line
# under mpirun alone (BUILDOUT_LAUNCHER=mpirun, no scheduler).
# Usage: check-slurm.sh BUILDOUT_BINARY [PATHS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
engine="$(realpath "$1")"; paths="${2:-600000}"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
work="$(mktemp -d /tmp/buildout-slurm.XXXXXX)"
started=()
cleanup() {
  # The daemons write their state as they stop: wait for them before removing it.
  for pid in "${started[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2> /dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
config="$(realpath "$here/../configs/base.toml")"
flags=(--paths "$paths" --batch 20000 --threads 1)
"$engine" run "$config" "${flags[@]}" --progress none --percentiles streaming --out "$work/one" > "$work/one.log" 2>&1 \
  || { cat "$work/one.log"; exit 1; }

fallback() {
  echo "check-slurm: $1; checking the launch line under mpirun instead (launch line only)"
  BUILDOUT="$engine" SLURM_NTASKS=2 bash "$here/slurm/buildout.sbatch" "$config" "$work/mpi" "${flags[@]}" \
    > "$work/mpi.log" 2>&1 || { cat "$work/mpi.log"; exit 1; }
  for f in percentiles.csv sites.csv headline.md; do cmp -s "$work/one/$f" "$work/mpi/$f" || { echo "check-slurm: $f differs" >&2; exit 1; }; done
  echo "check-slurm: the sbatch script's launch line (2 ranks under mpirun) wrote the one-process reports byte for byte"
  exit 0
}
for tool in slurmctld slurmd sbatch munged; do command -v "$tool" > /dev/null || fallback "no $tool (apt-get install slurm-wlm munge)"; done
[ "$(id -u)" -eq 0 ] || fallback "starting slurmctld and slurmd needs root"

# A one-node cluster of this machine, its state under $work.
node="$(hostname -s)"
mkdir -p "$work/state" "$work/spool"
cat > "$work/slurm.conf" << CONF
ClusterName=buildout-check
SlurmctldHost=$node
SlurmctldPort=$((16817 + RANDOM % 1000))
SlurmdPort=$((17818 + RANDOM % 1000))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobRequeue=1
NodeName=$node CPUs=$(nproc) State=UNKNOWN
PartitionName=check Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/slurm.conf"
if ! munge -n > /dev/null 2>&1; then
  [ -f /etc/munge/munge.key ] || mungekey -c > /dev/null 2>&1 || fallback "no munge key"
  mkdir -p /run/munge && chown munge:munge /run/munge 2> /dev/null || true
  /usr/sbin/munged --force > /dev/null 2>&1 || fallback "munged did not start"
fi
slurmctld -D -f "$SLURM_CONF" > "$work/slurmctld.out" 2>&1 & started+=($!)
slurmd -D -f "$SLURM_CONF" > "$work/slurmd.out" 2>&1 & started+=($!)
up=""
for _ in $(seq 60); do
  if sinfo -h -o %T 2> /dev/null | grep -qE "idle|mixed"; then up=1; break; fi
  sleep 1
done
[ -n "$up" ] || fallback "Slurm did not come up within a minute ($(tail -1 "$work/slurmctld.log" 2> /dev/null))"
echo "check-slurm: slurmctld and slurmd up on $node"

job=$(sbatch --parsable --ntasks=2 --cpus-per-task=1 --gpus-per-task=0 --time=30 --output="$work/job.log" \
  --export=ALL,BUILDOUT="$engine" "$here/slurm/buildout.sbatch" "$config" "$work/out" "${flags[@]}")
echo "check-slurm: job $job submitted"
# Once it has run a while, Slurm's time-limit warning: SIGUSR1 to the batch shell.
for _ in $(seq 120); do [ "$(squeue -h -j "$job" -o %T)" = RUNNING ] && break; sleep 0.5; done
sleep 8
scancel --signal=USR1 --batch "$job"
echo "check-slurm: sent the time-limit warning (SIGUSR1 to the batch shell)"
# Slurm holds a requeued job a while before it may start again; the check does not wait it out,
# but starts it a few seconds on: slurmd refuses a job launched within the second its previous
# run's credential was revoked ("Job credential revoked"), and the job is then lost.
for _ in $(seq 600); do
  [ -f "$work/out/percentiles.csv" ] && [ -z "$(squeue -h -j "$job" 2> /dev/null)" ] && break
  [ "$(squeue -h -j "$job" -o %r 2> /dev/null)" = BeginTime ] && scontrol update JobId="$job" StartTime=now+3 2> /dev/null || true
  # A job gone from the queue without its reports will not come back.
  if [ -z "$(squeue -h -j "$job" 2> /dev/null)" ] && [ ! -f "$work/out/percentiles.csv" ] && grep -q "requeueing job" "$work/job.log"; then
    sleep 2
    [ -f "$work/out/percentiles.csv" ] || { echo "check-slurm: the requeued job left the queue without its reports" >&2; tail -5 "$work/slurmctld.log" >&2; exit 1; }
  fi
  sleep 1
done
grep -E "^buildout.sbatch|^simulated|^wrote|^stopped|^error" "$work/job.log"
grep -q "requeueing job $job" "$work/job.log" || { echo "check-slurm: the job did not requeue" >&2; exit 1; }
grep -q "resuming from" "$work/job.log" || { echo "check-slurm: the requeued job did not resume" >&2; exit 1; }
for f in percentiles.csv sites.csv headline.md; do cmp -s "$work/one/$f" "$work/out/$f" || { echo "check-slurm: $f differs" >&2; exit 1; }; done
echo "check-slurm: on a real slurmctld the job checkpointed on SIGUSR1, requeued, resumed and wrote the one-process reports byte for byte"
