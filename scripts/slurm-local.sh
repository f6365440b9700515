#!/usr/bin/env bash
# A throw-away single-node Slurm on localhost, for running offersim sweeps as array jobs in tests
# and CI (docs/sweeps.md, "Slurm"). Debian/Ubuntu only: packages come from apt.
#
#   eval "$(scripts/slurm-local.sh start)"   # install if missing, start, wait for an idle node
#   scripts/slurm-local.sh status            # exit 0 when its daemons run, 3 when not
#   scripts/slurm-local.sh selftest          # srun + a 4-task array job (starts and stops if needed)
#   scripts/slurm-local.sh stop              # stop only the daemons this script started
#
# Config, state, logs and pid records live in $SLURM_DIR (default /tmp/offersim-slurm).
# `start` prints `export SLURM_CONF=... SLURM_DIR=...` on stdout (all progress goes to stderr),
# writes the same lines to $SLURM_DIR/env.sh, and appends them to $GITHUB_ENV when that is set.
#
# Exit codes: 0 done; 1 a step failed that should have worked (a daemon did not come up, a job
# failed: see the log it names); 2 usage; 77 Slurm cannot be installed or started on this machine
# (no root and no passwordless sudo, no apt, the packages cannot be installed). Tests skip on 77.
#
# Settings (environment): SLURM_DIR; SLURM_CPUS (CPUs the node advertises, default the real cores;
# may exceed them); SLURMCTLD_PORT / SLURMD_PORT (default 16817 / 16818, not Slurm's 6817 / 6818,
# so a Slurm already on this machine is left alone); SLURM_START_TIMEOUT (seconds, default 60).
#
# What `stop` stops: only processes whose pids this script recorded in $SLURM_DIR/run/*.ours when
# it started them, and only while /proc/<pid>/comm still names that daemon and its command line
# names this $SLURM_DIR. The cluster has its own munged (own socket and key under $SLURM_DIR), so
# a munge or Slurm already on the machine is never used, signalled or reconfigured.
set -euo pipefail

SLURM_DIR=${SLURM_DIR:-/tmp/offersim-slurm}
SLURMCTLD_PORT=${SLURMCTLD_PORT:-16817}
SLURMD_PORT=${SLURMD_PORT:-16818}
SLURM_START_TIMEOUT=${SLURM_START_TIMEOUT:-60}
CONF=$SLURM_DIR/etc/slurm.conf
RUN=$SLURM_DIR/run
LOG=$SLURM_DIR/log
PACKAGES=(slurm-wlm munge)
# Debian puts the daemons in /usr/sbin, which a normal user's PATH lacks.
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin:/sbin ;; esac
export PATH

UNAVAILABLE=77

say() { printf 'slurm-local: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
unavailable() { say "unavailable: $*"; exit "$UNAVAILABLE"; }

# Runs a command as root: directly, or through passwordless sudo (set up by need_root).
SUDO=()
as_root() { "${SUDO[@]}" env "PATH=$PATH" "$@"; }
need_root() {
  if [ "$(id -u)" = 0 ]; then SUDO=(); return; fi
  command -v sudo >/dev/null 2>&1 || unavailable "not root and sudo is not installed"
  sudo -n true 2>/dev/null || unavailable "not root and sudo needs a password"
  SUDO=(sudo -n)
}

# ---- install ---------------------------------------------------------------------------------

installed() {
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || return 1
  done
  command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null
}

apt_install() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o DPkg::Lock::Timeout=600 "${PACKAGES[@]}" >"$LOG/apt.log" 2>&1
}

install_packages() {
  installed && return 0
  command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1 \
    || unavailable "Slurm is not installed and there is no apt-get to install it (packages: ${PACKAGES[*]})"
  say "installing ${PACKAGES[*]} (apt, --no-install-recommends)"
  if ! apt_install; then
    # Fresh machines often ship without package lists; refresh them only when they are the problem.
    say "install failed; running apt-get update and trying again"
    as_root apt-get update -q -o DPkg::Lock::Timeout=600 >>"$LOG/apt.log" 2>&1 \
      || unavailable "apt-get update failed (no network or no usable apt sources?); see $LOG/apt.log"
    apt_install || unavailable "apt-get install ${PACKAGES[*]} failed; see $LOG/apt.log"
  fi
  installed || unavailable "apt-get reported success but the Slurm daemons are missing; see $LOG/apt.log"
}

# ---- processes -------------------------------------------------------------------------------

# True when pid $1 is a live (not zombie) process whose comm is $2.
alive_as() {
  local pid=$1 name=$2 state
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] || return 1
  state=$(sed -e 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
  [ -n "$state" ] && [ "$state" != Z ]
}

# The pid this script recorded for daemon $1, if that process is still that daemon and its
# command line names this directory (its config, or its munge socket).
our_pid() {
  local name=$1 pid
  [ -f "$RUN/$name.ours" ] || return 1
  pid=$(cat "$RUN/$name.ours")
  alive_as "$pid" "$name" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$SLURM_DIR/" || return 1
  echo "$pid"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Reads a daemon's own pid file (written when it daemonizes), waiting for it a little.
wait_pidfile() {
  local file=$1 name=$2 i pid
  for i in $(seq 100); do
    pid=$(cat "$file" 2>/dev/null || true)
    if alive_as "$pid" "$name"; then echo "$pid"; return 0; fi
    sleep 0.1
  done
  return 1
}

# Stops our daemon $1 (if any): TERM, wait up to 15 s, then KILL.
stop_ours() {
  local name=$1 pid i
  if pid=$(our_pid "$name"); then
    say "stopping $name (pid $pid)"
    as_root kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 150); do alive_as "$pid" "$name" || break; sleep 0.1; done
    if alive_as "$pid" "$name"; then as_root kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$RUN/$name.ours"
}

# ---- config ----------------------------------------------------------------------------------

write_config() {
  local cpus=${SLURM_CPUS:-$(nproc)} new=$CONF.new
  cat >"$new" <<EOF
# Generated by offersim scripts/slurm-local.sh; rewritten by every start.
ClusterName=offersim-local
SlurmctldHost=localhost
SlurmctldPort=$SLURMCTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$SLURM_DIR/munge/munge.socket
CredType=cred/munge
MpiDefault=none
# No cgroups: plain process tracking works in containers and VMs without a cgroup setup.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
# Per-task exit states without slurmdbd.
JobCompType=jobcomp/filetxt
JobCompLoc=$LOG/jobcomp.log
# Cores are the only consumable, so jobs do not queue behind a memory figure.
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# The node may advertise more CPUs than it has (SLURM_CPUS).
SlurmdParameters=config_overrides
# A job whose afterok dependency can no longer be met is cancelled instead of pending forever.
DependencyParameters=kill_invalid_depend
ReturnToService=2
StateSaveLocation=$SLURM_DIR/state
SlurmdSpoolDir=$SLURM_DIR/spool
SlurmctldPidFile=$RUN/slurmctld.pid
SlurmdPidFile=$RUN/slurmd.pid
SlurmctldLogFile=$LOG/slurmctld.log
SlurmdLogFile=$LOG/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  if [ -f "$CONF" ] && cmp -s "$new" "$CONF"; then rm -f "$new"; return 1; fi
  mv "$new" "$CONF"
  return 0
}

write_env() {
  local lines="export SLURM_CONF=$CONF
export SLURM_DIR=$SLURM_DIR"
  printf '%s\n' "$lines" >"$SLURM_DIR/env.sh"
  if [ -n "${GITHUB_ENV:-}" ]; then printf 'SLURM_CONF=%s\nSLURM_DIR=%s\n' "$CONF" "$SLURM_DIR" >>"$GITHUB_ENV"; fi
  printf '%s\n' "$lines"
}

# ---- munge -----------------------------------------------------------------------------------
# A munged of our own on a socket under $SLURM_DIR, with a key of its own: a munge already on the
# machine is neither used nor touched, and two clusters from two directories do not share one.

MUNGE=$SLURM_DIR/munge
munge_works() { munge -S "$MUNGE/munge.socket" -n 2>/dev/null | unmunge -S "$MUNGE/munge.socket" >/dev/null 2>&1; }

start_munge() {
  if our_pid munged >/dev/null && munge_works; then return 0; fi
  stop_ours munged
  say "starting munged"
  # munged runs as the munge user and refuses a key or socket directory others may write to.
  as_root mkdir -p "$MUNGE"
  as_root chmod 0755 "$SLURM_DIR" "$MUNGE"
  if ! as_root test -s "$MUNGE/munge.key"; then
    as_root dd if=/dev/urandom of="$MUNGE/munge.key" bs=1024 count=1 status=none
  fi
  as_root chown -R munge:munge "$MUNGE"
  as_root chmod 0400 "$MUNGE/munge.key"
  as_root rm -f "$MUNGE/munged.pid" "$MUNGE/munge.socket" "$MUNGE/munge.socket.lock"
  as_root runuser -u munge -- munged --socket="$MUNGE/munge.socket" --key-file="$MUNGE/munge.key" \
    --pid-file="$MUNGE/munged.pid" --log-file="$MUNGE/munged.log" --seed-file="$MUNGE/munged.seed" \
    >>"$LOG/munged.start.log" 2>&1 \
    || die "munged did not start; see $LOG/munged.start.log and $MUNGE/munged.log"
  local pid i
  pid=$(wait_pidfile "$MUNGE/munged.pid" munged) || die "munged exited at start-up; see $MUNGE/munged.log"
  echo "$pid" >"$RUN/munged.ours"
  for i in $(seq 50); do munge_works && return 0; sleep 0.1; done
  die "munged is running but munge/unmunge fail; see $MUNGE/munged.log"
}

# ---- slurm daemons ---------------------------------------------------------------------------

start_daemon() {
  local name=$1; shift
  our_pid "$name" >/dev/null && return 0
  rm -f "$RUN/$name.ours"
  local port=$SLURMCTLD_PORT
  [ "$name" = slurmd ] && port=$SLURMD_PORT
  if port_busy "$port"; then
    die "port $port is taken by a process this script did not start (another Slurm?); set $( [ "$name" = slurmd ] && echo SLURMD_PORT || echo SLURMCTLD_PORT ) to a free port"
  fi
  say "starting $name"
  rm -f "$RUN/$name.pid"
  as_root "$name" -f "$CONF" "$@" >>"$LOG/$name.start.log" 2>&1 \
    || die "$name did not start; see $LOG/$name.start.log and $LOG/$name.log"
  local pid
  pid=$(wait_pidfile "$RUN/$name.pid" "$name") \
    || die "$name exited at start-up; see $LOG/$name.log"
  echo "$pid" >"$RUN/$name.ours"
}

node_state() { SLURM_CONF=$CONF sinfo -h -n localhost -o %T 2>/dev/null | head -1; }

wait_idle() {
  local deadline=$((SECONDS + SLURM_START_TIMEOUT)) state resumed=0
  while :; do
    state=$(node_state || true)
    case "$state" in
      idle|mixed|allocated|completing) return 0 ;;
      down*|drain*)
        if [ "$resumed" = 0 ]; then
          SLURM_CONF=$CONF as_root scontrol update nodename=localhost state=resume >/dev/null 2>&1 || true
          resumed=1
        fi ;;
    esac
    [ "$SECONDS" -lt "$deadline" ] || die "node not idle after ${SLURM_START_TIMEOUT}s (state '${state:-none}'); see $LOG/slurmctld.log and $LOG/slurmd.log"
    sleep 0.2
  done
}

cmd_start() {
  need_root
  mkdir -p "$SLURM_DIR/etc" "$RUN" "$LOG" "$SLURM_DIR/state" "$SLURM_DIR/spool"
  install_packages
  if write_config; then
    # A changed config (or a first start): running daemons of ours must pick it up.
    stop_ours slurmd
    stop_ours slurmctld
  fi
  start_munge
  start_daemon slurmctld
  start_daemon slurmd -N localhost
  wait_idle
  say "up: node localhost $(node_state), config $CONF"
  write_env
}

cmd_stop() {
  need_root
  if our_pid slurmctld >/dev/null; then
    SLURM_CONF=$CONF as_root scancel --full --quiet --partition=debug 2>/dev/null || true
    local i
    for i in $(seq 50); do
      [ -z "$(SLURM_CONF=$CONF squeue -h -t running,completing 2>/dev/null)" ] && break
      sleep 0.1
    done
  fi
  stop_ours slurmd
  stop_ours slurmctld
  stop_ours munged
  say "stopped (what this script started in $SLURM_DIR)"
}

cmd_status() {
  local name pid rc=0
  for name in munged slurmctld slurmd; do
    if pid=$(our_pid "$name"); then echo "$name: running, pid $pid (started by this script)"
    else echo "$name: not running from $SLURM_DIR"; rc=3
    fi
  done
  if [ "$rc" = 0 ]; then
    echo "node: $(node_state)"
    echo "export SLURM_CONF=$CONF"
  fi
  return "$rc"
}

cmd_selftest() {
  local started=0
  if ! cmd_status >/dev/null 2>&1; then
    cmd_start >/dev/null
    started=1
  fi
  export SLURM_CONF=$CONF
  local work out job i ok=1
  work=$(mktemp -d "${TMPDIR:-/tmp}/slurm-selftest.XXXXXX")
  out=$(srun -n1 hostname 2>&1) || { say "srun failed: $out"; ok=0; }
  job=$(sbatch --parsable --array=0-3 -D "$work" -o "$work/%a.log" \
    --wrap 'echo "task $SLURM_ARRAY_TASK_ID of $SLURM_ARRAY_TASK_COUNT" > out-$SLURM_ARRAY_TASK_ID') \
    || { say "sbatch failed"; ok=0; job=; }
  if [ -n "$job" ]; then
    for i in $(seq 600); do [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break; sleep 0.2; done
    for i in 0 1 2 3; do
      [ "$(cat "$work/out-$i" 2>/dev/null)" = "task $i of 4" ] || { say "array task $i wrote no output"; ok=0; }
    done
  fi
  rm -rf "$work"
  [ "$started" = 1 ] && cmd_stop
  [ "$ok" = 1 ] || die "selftest failed; see $LOG"
  say "selftest passed (srun on $out; a 4-task array job)"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  selftest) cmd_selftest ;;
  *) echo "usage: $0 start|stop|status|selftest" >&2; exit 2 ;;
esac
