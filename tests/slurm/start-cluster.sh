#!/usr/bin/env bash
# Start a throwaway single-node Slurm cluster on loopback, for integration
# tests in a container without systemd (Debian 12, run as root).
#
# Usage:  tests/slurm/start-cluster.sh
#         export SLURM_CONF="${OVOPSIM_SLURM_DIR:-/tmp/ovopsim-slurm}/slurm.conf"
#
# Everything the cluster writes (config, state, spool, logs, pid files) lives
# in one directory, $OVOPSIM_SLURM_DIR (default /tmp/ovopsim-slurm), so the
# machine's /etc/slurm stays untouched and stop-cluster.sh knows what to kill.
# The Slurm client commands find the config through $SLURM_CONF, which this
# script cannot set in the caller's shell: callers export it themselves.
#
# Running it again while the cluster is up only re-checks that the node is
# idle. Environment knobs:
#   OVOPSIM_SLURM_DIR      where the cluster lives        (/tmp/ovopsim-slurm)
#   OVOPSIM_SLURM_TIMEOUT  seconds to wait for an idle node (60)
set -euo pipefail

DIR="${OVOPSIM_SLURM_DIR:-/tmp/ovopsim-slurm}"
TIMEOUT="${OVOPSIM_SLURM_TIMEOUT:-60}"
CONF="$DIR/slurm.conf"
# The node is named "localhost" whatever the machine's hostname is; slurmd is
# told so with -N, so the hostname never has to resolve to anything.
NODE=localhost

export SLURM_CONF="$CONF"

die() { echo "start-cluster: error: $*" >&2; exit 1; }
say() { echo "start-cluster: $*"; }

# Print the tail of a log, to explain a failure without making the user dig.
show_log() {
    if [[ -f "$1" ]]; then
        echo "---- last lines of $1 ----" >&2
        tail -n 20 "$1" >&2
        echo "----" >&2
    fi
}

# True if the pid file names a live process of the expected name (a stale
# pid file may name a pid that was since reused by something else).
running() {
    local pid
    [[ -f "$1" ]] || return 1
    pid="$(cat "$1")"
    [[ -n "$pid" && "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$2" ]]
}

[[ "$(id -u)" == 0 ]] || die "must run as root (munged, slurmd and apt-get need it)"

# --- packages ---------------------------------------------------------------
# Debian 12 ships Slurm 22.05; install only when a piece is missing so a
# second run (or a machine that already has them) costs nothing.
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null \
    || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    command -v apt-get >/dev/null || die "slurm/munge missing and no apt-get to install them"
    say "installing slurm-wlm and munge (apt-get)..."
    # policy-rc.d in containers refuses service starts during install; that
    # is fine, this script starts the daemons itself.
    apt-get update -qq || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        slurm-wlm munge >"${TMPDIR:-/tmp}/ovopsim-slurm-apt.log" 2>&1 \
        || { show_log "${TMPDIR:-/tmp}/ovopsim-slurm-apt.log"; die "apt-get install slurm-wlm munge failed"; }
fi

mkdir -p "$DIR"/{state,spool,log,run}

# --- munge ------------------------------------------------------------------
# Slurm authenticates every RPC with munge, even on a single node. munged
# refuses keys and directories that others can read or write, and it must
# run as the munge user, so ownership and modes here matter.
if [[ ! -s /etc/munge/munge.key ]]; then
    say "creating munge key"
    install -d -o munge -g munge -m 0700 /etc/munge
    mungekey --create --keyfile=/etc/munge/munge.key --force
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
fi
# /run is often a fresh tmpfs in containers, so the socket dir may be gone.
install -d -o munge -g munge -m 0755 /run/munge
install -d -o munge -g munge -m 0700 /var/log/munge /var/lib/munge
if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    say "munged already running"
else
    say "starting munged"
    # A stale socket/pid from a killed munged makes the new one refuse to start.
    rm -f /run/munge/munge.socket.2 /run/munge/munge.socket.2.lock /run/munge/munged.pid
    runuser -u munge -- /usr/sbin/munged \
        || { show_log /var/log/munge/munged.log; die "munged did not start"; }
    # Tell stop-cluster.sh this munged is ours to stop (one that was already
    # running may serve something else).
    touch "$DIR/run/munged.ours"
    for _ in $(seq 1 20); do
        munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
        sleep 0.25
    done
    munge -n | unmunge >/dev/null 2>&1 \
        || { show_log /var/log/munge/munged.log; die "munge credentials do not round-trip"; }
fi

# --- slurm.conf -------------------------------------------------------------
CPUS="$(nproc)"
# Declare slightly less memory than the machine has: a node that reports less
# RealMemory than configured is drained ("Low RealMemory").
MEM_MB="$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.95 }' /proc/meminfo)"

# Only (re)write the config while the daemons are down: changing it under a
# running slurmctld would leave the two disagreeing.
if ! running "$DIR/run/slurmctld.pid" slurmctld && ! running "$DIR/run/slurmd.pid" slurmd; then
    cat >"$CONF" <<EOF
# Written by tests/slurm/start-cluster.sh: a one-node test cluster.
ClusterName=ovopsim-test
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ReturnToService=2
MailProg=/bin/true

# No cgroups: in a container they are missing, read-only or half there, and
# a test cluster needs no resource fencing. linuxproc tracks job processes
# through /proc parentage instead.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none

# Hand out single cores, so an array's tasks run side by side.
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core

StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info

# Short timers: a test should not wait minutes for a node to come back.
# MinJobAge keeps ended jobs in squeue -t all for 5 minutes: with no
# accounting that is the only place a test can read their final state.
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0

NodeName=$NODE CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
    # Slurm looks for optional files (plugstack.conf, cgroup.conf) next to
    # slurm.conf; an empty plugstack keeps Debian's /etc one out of the way.
    : >"$DIR/plugstack.conf"
fi

# --- daemons ----------------------------------------------------------------
if running "$DIR/run/slurmctld.pid" slurmctld; then
    say "slurmctld already running (pid $(cat "$DIR/run/slurmctld.pid"))"
else
    say "starting slurmctld"
    # -c: start clean, forgetting jobs of an earlier test run.
    slurmctld -c -f "$CONF" \
        || { show_log "$DIR/log/slurmctld.log"; die "slurmctld did not start"; }
fi

# slurmd registers with slurmctld, so give the controller a moment to answer.
for _ in $(seq 1 40); do
    scontrol ping 2>/dev/null | grep -q 'is UP' && break
    sleep 0.25
done
scontrol ping 2>/dev/null | grep -q 'is UP' \
    || { show_log "$DIR/log/slurmctld.log"; die "slurmctld does not answer 'scontrol ping'"; }

if running "$DIR/run/slurmd.pid" slurmd; then
    say "slurmd already running (pid $(cat "$DIR/run/slurmd.pid"))"
else
    say "starting slurmd"
    # -N: this node's name in slurm.conf, whatever `hostname` says.
    # -c: drop leftover job steps from an earlier run.
    slurmd -c -N "$NODE" -f "$CONF" \
        || { show_log "$DIR/log/slurmd.log"; die "slurmd did not start"; }
fi

# --- wait for an idle node ------------------------------------------------------
say "waiting up to ${TIMEOUT}s for node $NODE to be idle"
start=$SECONDS
resumed=0
while :; do
    state="$(sinfo -h -n "$NODE" -o '%T' 2>/dev/null | head -n 1 || true)"
    case "$state" in
        idle|mixed|allocated)
            # A node in any of these takes jobs; "mixed"/"allocated" mean a
            # second run found jobs still going, which is fine.
            break ;;
        down*|drain*|fail*)
            # After a clean start slurmctld may still remember the node as
            # down; resuming it once is what an admin would do.
            if [[ $resumed == 0 ]]; then
                say "node is '$state'; resuming it"
                scontrol update nodename="$NODE" state=resume 2>/dev/null || true
                resumed=1
            fi ;;
    esac
    if (( SECONDS - start >= TIMEOUT )); then
        echo "start-cluster: node state is '${state:-unknown}'" >&2
        scontrol show node "$NODE" >&2 || true
        show_log "$DIR/log/slurmctld.log"
        show_log "$DIR/log/slurmd.log"
        die "node $NODE not idle after ${TIMEOUT}s"
    fi
    sleep 0.5
done
say "cluster up after $((SECONDS - start))s of waiting; node $NODE is $state"
say "use it with: export SLURM_CONF=$CONF"
