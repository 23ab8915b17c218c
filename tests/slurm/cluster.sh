# shellcheck shell=bash
# A single-node Slurm cluster for a test, as root, without systemd or cgroups: Debian 12's
# munge and slurm 22.05, their state, sockets and logs in one temporary folder, talking over
# loopback ports only. Sourced by slurm_array.sh:
#   cluster_up DIR     starts munged, slurmctld and slurmd; exports SLURM_CONF; returns when
#                      sinfo shows the node idle
#   cluster_down       cancels the cluster's jobs, stops each daemon by the PID it started and
#                      ends what is left of the jobs' processes; safe to call at any moment, twice
# A watchdog does the same, and removes DIR, if the calling shell is killed without its traps.
# Every failure says what is missing; nothing here skips.

cluster_dir=
cluster_pids=()
cluster_watchdog_pid=

cluster_fail() {
    echo "FAIL: $*" >&2
    exit 1
}

cluster_require() {
    [ "$(id -u)" -eq 0 ] || cluster_fail "the Slurm test runs its daemons as root (uid $(id -u))"
    local tool
    for tool in munged mungekey munge slurmctld slurmd sbatch squeue sinfo scontrol scancel \
        setpriv python3; do
        command -v "$tool" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin command -v "$tool" \
            >/dev/null 2>&1 || cluster_fail "$tool is missing: install deps/debian-packages.txt" \
            "(munge, slurmctld, slurmd, slurm-client)"
    done
    id munge >/dev/null 2>&1 || cluster_fail "no munge user: the munge package is not installed"
}

# Two free TCP ports on 127.0.0.1 (bound, read and released; the daemons bind them next).
cluster_ports() {
    python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])'
}

# Waits up to $1 seconds for the command after it to succeed.
cluster_wait() {
    local seconds=$1
    shift
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.2
    done
}

cluster_alive() { kill -0 "$1" 2>/dev/null; }

cluster_no_jobs() { [ -z "$(squeue -h -o %i 2>/dev/null)" ]; }

cluster_node_idle() { sinfo -h -N -n "$cluster_node" -o %t | grep -qx idle; }

cluster_up() {
    export PATH=$PATH:/usr/sbin
    cluster_require
    cluster_dir=$1
    local d=$cluster_dir
    chmod 755 "$d" # munged and the jobs look inside as their own users
    mkdir -p "$d/munge" "$d/state" "$d/spool" "$d/log"
    : >"$d/pids"
    cluster_start_watchdog
    chown munge:munge "$d/munge"
    chmod 755 "$d/munge" # munged wants its socket's folder readable by all, writable by it only

    # munge: a key of its own, a socket in the folder, run as the munge user (setpriv execs,
    # so the PID below is munged's own).
    mungekey --create --keyfile="$d/munge/munge.key" >/dev/null 2>&1 ||
        cluster_fail "mungekey could not create a key in $d/munge"
    chown munge:munge "$d/munge/munge.key"
    chmod 600 "$d/munge/munge.key"
    cluster_spawn "$d/log/munged.out" setpriv --reuid=munge --regid=munge --init-groups \
        /usr/sbin/munged --foreground --socket="$d/munge/socket" --key-file="$d/munge/munge.key" \
        --pid-file="$d/munge/munged.pid" --log-file="$d/munge/munged.log" \
        --seed-file="$d/munge/munged.seed"
    cluster_wait 20 test -S "$d/munge/socket" || {
        cat "$d/log/munged.out" >&2
        cluster_fail "munged did not create its socket"
    }
    munge -S "$d/munge/socket" -n >/dev/null || cluster_fail "munge cannot make a credential"

    local ctld_port slurmd_port node
    read -r ctld_port slurmd_port < <(cluster_ports)
    node=$(slurmd -C | head -n 1) # NodeName=<hostname> CPUs=... RealMemory=...
    [[ $node == NodeName=* ]] || cluster_fail "slurmd -C printed no node line: $node"
    cluster_node=${node%% *}
    cluster_node=${cluster_node#NodeName=}
    # NoCtldInAddrAny / NoInAddrAny: slurmctld and slurmd bind 127.0.0.1, not every address.
    cat >"$d/slurm.conf" <<EOF
ClusterName=featurescope-test
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$d/munge/socket
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/log/slurmctld.log
SlurmdLogFile=$d/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
$node NodeAddr=127.0.0.1
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
    export SLURM_CONF=$d/slurm.conf
    cluster_spawn "$d/log/slurmctld.out" slurmctld -D
    cluster_spawn "$d/log/slurmd.out" slurmd -D -N "$cluster_node"
    cluster_wait 60 cluster_node_idle || {
        tail -n 20 "$d/log/slurmctld.log" "$d/log/slurmd.log" "$d/log/"*.out >&2
        cluster_fail "the node $cluster_node did not become idle in 60 s"
    }
}

cluster_down() {
    local -
    set +e # every step runs, whatever failed before it
    [ -n "$cluster_dir" ] || return 0
    local d=$cluster_dir pid
    [ -z "$cluster_watchdog_pid" ] || kill -KILL "$cluster_watchdog_pid" 2>/dev/null
    if [ ${#cluster_pids[@]} -ge 2 ] && cluster_alive "${cluster_pids[1]}"; then
        scancel --quiet --full --user=root 2>/dev/null
        cluster_wait 15 cluster_no_jobs
    fi
    # The daemons, newest first, by the PIDs this script started.
    for ((i = ${#cluster_pids[@]} - 1; i >= 0; i--)); do
        pid=${cluster_pids[i]}
        cluster_alive "$pid" && kill -TERM "$pid" 2>/dev/null
        cluster_wait 10 eval "! cluster_alive $pid" || kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    cluster_pids=()
    cluster_kill_jobs "$d"
    cluster_dir=
}

# What the jobs left (slurmstepd is not slurmd's child, and a job's processes are its): they
# carry this cluster's SLURM_CONF in their environment, slurmd's or the submitter's, which no
# other process on the machine does. This shell and its ancestors, which may hold it too, stay.
cluster_kill_jobs() {
    local entry pid
    for entry in /proc/[0-9]*; do
        pid=${entry#/proc/}
        [ "$pid" != $$ ] && [ "$pid" != "$BASHPID" ] || continue
        if tr '\0' '\n' 2>/dev/null <"$entry/environ" | grep -qx "SLURM_CONF=$1/slurm.conf"; then
            cluster_is_ancestor "$pid" || kill -KILL "$pid" 2>/dev/null
        fi
    done
}

cluster_is_ancestor() {
    local p=$$
    while [ "$p" -gt 1 ]; do
        [ "$p" = "$1" ] && return 0
        p=$(awk '/^PPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null) || return 1
        [ -n "$p" ] || return 1
    done
    return 1
}

# The traps cannot run when this shell is killed outright (SIGKILL, as a CTest timeout sends
# to the test's process tree). A watchdog outside that tree (setsid, its parent gone) then ends
# the daemons listed in DIR/pids that are still this cluster's, the jobs' leftovers, and DIR.
cluster_watchdog() {
    local shell=$1 dir=$2 pid
    while kill -0 "$shell" 2>/dev/null; do sleep 1; done
    while read -r pid; do
        grep -qsa -- "$dir" "/proc/$pid/cmdline" "/proc/$pid/environ" && kill -KILL "$pid"
    done <"$dir/pids"
    cluster_kill_jobs "$dir"
    rm -rf "$dir"
}

cluster_start_watchdog() {
    (setsid bash -c 'source "$1"; cluster_watchdog "$2" "$3"' watchdog "${BASH_SOURCE[0]}" $$ \
        "$cluster_dir" </dev/null >/dev/null 2>&1 &
        echo $! >"$cluster_dir/watchdog.pid")
    cluster_watchdog_pid=$(cat "$cluster_dir/watchdog.pid")
}

# Starts "$@" in the background, noting its PID for cluster_down and the watchdog.
cluster_spawn() {
    local log=$1
    shift
    "$@" >"$log" 2>&1 &
    cluster_pids+=($!)
    echo $! >>"$cluster_dir/pids"
}
