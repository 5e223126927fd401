#!/usr/bin/env bash
# Submit an ovopsim sweep as a Slurm job array plus a merge job that waits
# for it, and print the two job ids.
#
#   SCENARIO=scenarios/ovop.toml \
#   VARY="--vary coordination.quality=0.2,0.5,0.8 --vary finance.kur_supply=0.5,1" \
#   SWEEP_ARGS="--reps 20" OUT=$PWD/output/ovop-sweep SHARDS=10 \
#   OVOPSIM=$PWD/target/release/ovopsim \
#     examples/slurm/submit.sh [extra sbatch options...]
#
# SHARDS defaults to 10. Extra arguments go to both sbatch calls (e.g.
# --partition=short or --account=myproject). The jobs inherit this
# environment, so SCENARIO, VARY, SWEEP_ARGS, OUT and OVOPSIM reach them.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

: "${SCENARIO:?set SCENARIO to the scenario file}"
: "${VARY:?set VARY to the --vary flags}"
: "${OUT:?set OUT to the output folder (on storage every node sees)}"
export SHARDS="${SHARDS:-10}"
# The jobs may start in another directory view; absolute paths avoid
# surprises when they do.
SCENARIO="$(realpath "$SCENARIO")"
OUT="$(realpath -m "$OUT")"
export SCENARIO VARY OUT SWEEP_ARGS="${SWEEP_ARGS:-}" OVOPSIM="${OVOPSIM:-ovopsim}"

mkdir -p "$OUT"

# --parsable prints "jobid" (or "jobid;cluster"); keep the id.
ARRAY_JOB_ID="$(sbatch --parsable --array="0-$((SHARDS - 1))" "$@" \
    "$HERE/sweep-array.sbatch")"
ARRAY_JOB_ID="${ARRAY_JOB_ID%%;*}"

# afterok: the merge runs only if every array task exits 0. If one fails,
# the merge stays pending with reason DependencyNeverSatisfied; see README.
MERGE_JOB_ID="$(sbatch --parsable --dependency="afterok:$ARRAY_JOB_ID" "$@" \
    "$HERE/merge.sbatch")"
MERGE_JOB_ID="${MERGE_JOB_ID%%;*}"

echo "array job: $ARRAY_JOB_ID (${SHARDS} shards -> $OUT/shard-*)"
echo "merge job: $MERGE_JOB_ID (-> $OUT/merged)"
