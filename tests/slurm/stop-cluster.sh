#!/usr/bin/env bash
# Stop the test cluster that start-cluster.sh started: slurmd, slurmctld and
# munged. Only the processes named by their pid files are signalled, so other
# Slurm or munge daemons on the machine are left alone. Safe to run when
# nothing is running.
#
# munged is stopped only if start-cluster.sh started it; set
# OVOPSIM_SLURM_KEEP_MUNGE=1 to leave it running anyway.
set -euo pipefail

DIR="${OVOPSIM_SLURM_DIR:-/tmp/ovopsim-slurm}"

# Send TERM, wait for the process to go, then KILL it if it lingers. The
# process name is checked first: a stale pid file may name a reused pid.
stop_pidfile() {
    local name="$1" pidfile="$2" pid
    [[ -f "$pidfile" ]] || return 0
    pid="$(cat "$pidfile")"
    if [[ -n "$pid" && "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$name" ]]; then
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
if [[ -f "$DIR/slurm.conf" && -f "$DIR/run/slurmctld.pid" \
    && "$(cat "/proc/$(cat "$DIR/run/slurmctld.pid")/comm" 2>/dev/null)" == slurmctld ]]; then
    SLURM_CONF="$DIR/slurm.conf" scancel --quiet --user=root 2>/dev/null || true
fi

# slurmd first, so it does not spend its last seconds retrying a dead
# controller.
stop_pidfile slurmd "$DIR/run/slurmd.pid"
stop_pidfile slurmctld "$DIR/run/slurmctld.pid"
# munged only if start-cluster.sh started it; one that was running before
# may serve other software on the machine.
if [[ -f "$DIR/run/munged.ours" && "${OVOPSIM_SLURM_KEEP_MUNGE:-0}" != 1 ]]; then
    stop_pidfile munged /run/munge/munged.pid
    rm -f "$DIR/run/munged.ours"
fi
