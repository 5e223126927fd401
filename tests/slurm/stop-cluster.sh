#!/usr/bin/env bash
# Stop the test cluster that start-cluster.sh started: slurmd, slurmctld and
# munged. Only the processes named by their pid files are signalled, so other
# Slurm or munge daemons on the machine are left alone. Safe to run when
# nothing is running.
#
# Set OVOPSIM_SLURM_KEEP_MUNGE=1 to leave munged running (it is shared by
# anything on the machine that uses munge).
set -euo pipefail

DIR="${OVOPSIM_SLURM_DIR:-/tmp/ovopsim-slurm}"

# Send TERM, wait for the process to go, then KILL it if it lingers.
stop_pidfile() {
    local name="$1" pidfile="$2" pid
    [[ -f "$pidfile" ]] || return 0
    pid="$(cat "$pidfile")"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        echo "stop-cluster: stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 40); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "stop-cluster: $name did not exit; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$pidfile"
}

# Cancel whatever jobs the test left behind, so slurmd's job steps do not
# outlive it. Every job on this cluster is the test's own.
if [[ -f "$DIR/slurm.conf" && -f "$DIR/run/slurmctld.pid" ]] \
    && kill -0 "$(cat "$DIR/run/slurmctld.pid")" 2>/dev/null; then
    SLURM_CONF="$DIR/slurm.conf" scancel --quiet --user=root 2>/dev/null || true
fi

# slurmd first, so it does not spend its last seconds retrying a dead
# controller.
stop_pidfile slurmd "$DIR/run/slurmd.pid"
stop_pidfile slurmctld "$DIR/run/slurmctld.pid"
if [[ "${OVOPSIM_SLURM_KEEP_MUNGE:-0}" != 1 ]]; then
    stop_pidfile munged /run/munge/munged.pid
fi
