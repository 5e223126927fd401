#!/usr/bin/env bash
# Integration test: a sharded ovopsim sweep run as a Slurm job array on a
# throwaway one-node cluster, merged by a dependent job, must give the same
# bytes as the same sweep run on one machine. Then a "lost node" is faked by
# deleting one shard and rerunning only that array index; the re-merge must
# match again.
#
# Usage: tests/slurm/run-test.sh path/to/ovopsim
# Needs root (it starts munged/slurmd and may apt-get install Slurm).
# Set OVOPSIM_SLURM_TEST_TIMEOUT (seconds per wait, default 600) to tune.
set -euo pipefail

if [[ $# -ne 1 || ! -x "$1" ]]; then
    echo "usage: $0 path/to/ovopsim   (an executable ovopsim binary)" >&2
    exit 2
fi
BIN="$(realpath "$1")"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
WAIT_TIMEOUT="${OVOPSIM_SLURM_TEST_TIMEOUT:-600}"
SLURM_DIR="${OVOPSIM_SLURM_DIR:-/tmp/ovopsim-slurm}"
export SLURM_CONF="$SLURM_DIR/slurm.conf"

# The sweep under test, small enough for a 2-core machine: 6 points.
SCENARIO="$REPO/scenarios/ovop.toml"
VARY="--vary coordination.quality=0.2,0.5,0.8 --vary finance.kur_supply=0.5,1"
SWEEP_ARGS="--reps 2 --years 2 --quiet"
SHARDS=3
TABLES=(points.csv sweep.csv sweep_runs.csv)

TMP="$(mktemp -d "${TMPDIR:-/tmp}/ovopsim-slurm-test.XXXXXX")"
passed=0
failed=0

# Always stop the cluster; keep the work folder only when something failed,
# since the job logs in it are what explains the failure.
cleanup() {
    local rc=$?
    "$HERE/stop-cluster.sh" >/dev/null 2>&1 || true
    if [[ $rc -eq 0 ]]; then
        rm -rf "$TMP"
    else
        echo "slurm test: kept $TMP (job logs: $TMP/*.out, daemon logs: $SLURM_DIR/log)" >&2
    fi
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    echo "slurm: $passed passed, $((failed + 1)) failed"
    exit 1
}

# Wait until every given job (array tasks included) has ended and print one
# "id state reason" line per job. Without accounting there is no sacct, so
# this reads squeue with -t all, which still lists ended jobs for MinJobAge
# seconds. Returns 1 on timeout, or when an afterok dependency can no longer
# be met (such a job would stay pending forever).
wait_ended() {
    local start=$SECONDS lines states
    while :; do
        lines="$(squeue -h -t all -j "$(IFS=,; echo "$*")" -o '%i %T %r' 2>/dev/null || true)"
        if grep -q 'DependencyNeverSatisfied' <<<"$lines"; then
            echo "$lines"
            return 1
        fi
        states="$(awk '{ print $2 }' <<<"$lines" | sort -u)"
        if [[ -n "$states" ]] && ! grep -qvE "$ENDED" <<<"$states"; then
            echo "$lines"
            return 0
        fi
        if (( SECONDS - start >= WAIT_TIMEOUT )); then
            echo "$lines"
            echo "timed out after ${WAIT_TIMEOUT}s"
            return 1
        fi
        sleep 1
    done
}
ENDED='^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE|PREEMPTED)$'

# Wait for the jobs and fail the test unless every one COMPLETED.
wait_jobs() {
    local lines
    if ! lines="$(wait_ended "$@")" || grep -qv ' COMPLETED ' <<<"$lines"; then
        echo "$lines" >&2
        fail "jobs $* did not all complete (see the job logs)"
    fi
}

# Byte-for-byte comparison of the merged tables with the single-machine ones.
compare() {
    local what="$1" t ok=1
    for t in "${TABLES[@]}"; do
        if [[ ! -f "$TMP/merged/$t" ]]; then
            echo "  missing $TMP/merged/$t" >&2
            ok=0
        elif ! cmp "$TMP/single/$t" "$TMP/merged/$t"; then
            ok=0
        fi
    done
    if [[ $ok == 1 ]]; then
        echo "PASS: $what: merged ${TABLES[*]} identical to the single-machine sweep"
        passed=$((passed + 1))
    else
        fail "$what: merged tables differ from the single-machine sweep"
    fi
}

# Submit one sbatch script and print its job id. The jobs inherit this
# environment, which carries the sweep settings.
submit() {
    local id
    id="$(sbatch --parsable --chdir="$TMP" "$@")"
    echo "${id%%;*}"
}

echo "== starting the cluster"
"$HERE/start-cluster.sh"

echo "== single-machine sweep"
cd "$REPO"
# shellcheck disable=SC2086
"$BIN" sweep scenarios/ovop.toml $VARY $SWEEP_ARGS --out "$TMP/single"
for t in "${TABLES[@]}"; do
    [[ -s "$TMP/single/$t" ]] || fail "single-machine sweep wrote no $t"
done

echo "== the same sweep as a $SHARDS-task job array plus a merge job"
export SCENARIO VARY SWEEP_ARGS SHARDS OUT="$TMP" OVOPSIM="$BIN"
submitted="$("$REPO/examples/slurm/submit.sh" --chdir="$TMP")"
echo "$submitted"
array_id="$(sed -n 's/^array job: \([0-9]*\).*/\1/p' <<<"$submitted")"
merge_id="$(sed -n 's/^merge job: \([0-9]*\).*/\1/p' <<<"$submitted")"
[[ -n "$array_id" && -n "$merge_id" ]] || fail "could not read job ids from submit.sh"
wait_jobs "$array_id" "$merge_id"
for i in $(seq 0 $((SHARDS - 1))); do
    [[ -d "$TMP/shard-$i" ]] || fail "array task $i wrote no $TMP/shard-$i"
done
compare "job array"

echo "== lost node: shard 1 is gone; rerun only array index 1"
rm -rf "$TMP/shard-1" "$TMP/merged"
# Resubmitting a single index makes SLURM_ARRAY_TASK_COUNT 1, so the script
# must refuse to run without SHARDS rather than compute shard 1/1.
bad_id="$(SHARDS='' submit --array=1 "$REPO/examples/slurm/sweep-array.sbatch")"
bad="$(wait_ended "$bad_id" || true)"
if ! grep -q ' FAILED ' <<<"$bad" || [[ -e "$TMP/shard-1" ]]; then
    echo "$bad" >&2
    fail "sweep-array.sbatch ran a partial array without SHARDS"
fi
echo "PASS: a partial array without SHARDS is refused"
passed=$((passed + 1))

redo_id="$(submit --array=1 "$REPO/examples/slurm/sweep-array.sbatch")"
merge_id="$(submit --dependency="afterok:$redo_id" "$REPO/examples/slurm/merge.sbatch")"
echo "resubmitted array index 1 as job $redo_id, merge as job $merge_id"
wait_jobs "$redo_id" "$merge_id"
compare "after resubmitting a lost shard"

echo "slurm: $passed passed, $failed failed"
