#!/usr/bin/env bash
# A local coord cluster of one or three nodes on 127.0.0.1, for development and fault drills.
# Run with no arguments for usage; the reference is in docs/operations.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: cluster.sh COMMAND

  start [--nodes 1|3]   write configs if absent, start the nodes, wait for a leader,
                        print COORD_ENDPOINTS=... and the cluster status (builds the jars if missing)
  stop                  SIGTERM every node, SIGKILL what is left after the timeout
  status [CLI OPTION]   'coord cluster status' over every node (e.g. status -o json), and the pids
  kill N                kill -9 node N (a fault drill)
  restart N             stop node N if it runs, start it, wait until it knows the leader
  logs N [-f]           the tail of node N's log (-f: follow it)
  clean                 delete the data folder (only when every node is stopped)

environment:
  COORD_LOCAL_DIR       data folder (default deploy/local/data), one nodeN/ folder per node
  COORD_BASE_PORT       node N listens for clients on BASE+N and for Raft on BASE+10+N (default 2280)
  COORD_NODE_JAVA_OPTS  JVM options of each node (default -Xmx512m)
  COORD_START_TIMEOUT   seconds to wait for a leader (default 60)
  COORD_STOP_TIMEOUT    seconds to wait for a node to exit after SIGTERM (default 30)
EOF
}

src="${BASH_SOURCE[0]}"
while [ -L "$src" ]; do
  dir="$(cd -P "$(dirname "$src")" && pwd)"
  src="$(readlink "$src")"
  case "$src" in /*) ;; *) src="$dir/$src" ;; esac
done
COORD_ROOT="$(cd -P "$(dirname "$src")/../.." && pwd)"
# shellcheck source=SCRIPTDIR/../../bin/lib/launcher.sh
. "$COORD_ROOT/bin/lib/launcher.sh"

DIR="${COORD_LOCAL_DIR:-$COORD_ROOT/deploy/local/data}"
case "$DIR" in /*) ;; *) DIR="$PWD/$DIR" ;; esac
STATE="$DIR/cluster.conf" # nodes=N and basePort=P, written by the first start
NODE_OPTS="${COORD_NODE_JAVA_OPTS:--Xmx512m}"
START_TIMEOUT="${COORD_START_TIMEOUT:-60}"
STOP_TIMEOUT="${COORD_STOP_TIMEOUT:-30}"
HOST=127.0.0.1

die() { # die CODE MESSAGE
  echo "cluster.sh: $2" >&2
  exit "$1"
}

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }

state_get() { # state_get KEY: the value from $STATE, or nothing
  [ -f "$STATE" ] || return 0
  sed -n "s/^$1=//p" "$STATE" | head -n 1
}

# load_state: NODES and BASE from the data folder when it holds a cluster, else from the defaults.
load_state() {
  NODES="$(state_get nodes)"
  BASE="$(state_get basePort)"
  if [ -n "$BASE" ] && [ -n "${COORD_BASE_PORT:-}" ] && [ "$COORD_BASE_PORT" != "$BASE" ]; then
    echo "cluster.sh: COORD_BASE_PORT=$COORD_BASE_PORT ignored: $DIR was made with base port $BASE" >&2
  fi
  NODES="${NODES:-3}"
  BASE="${BASE:-${COORD_BASE_PORT:-2280}}"
  if ! is_uint "$BASE" || [ "$BASE" -lt 1 ] || [ "$BASE" -gt 65520 ]; then
    die 2 "COORD_BASE_PORT must be a number from 1 to 65520, got '$BASE'"
  fi
}

client_port() { echo $((BASE + $1)); }
raft_port() { echo $((BASE + 10 + $1)); }
node_dir() { echo "$DIR/node$1"; }

endpoints() {
  local n eps=""
  for ((n = 1; n <= NODES; n++)); do eps="$eps${eps:+,}$HOST:$(client_port "$n")"; done
  echo "$eps"
}

check_node_arg() { # check_node_arg ARG: N must name a node of this cluster
  if [ -z "${1:-}" ] || ! is_uint "$1" || [ "$1" -lt 1 ] || [ "$1" -gt "$NODES" ]; then
    die 2 "node must be a number from 1 to $NODES (a $NODES-node cluster), got '${1:-}'"
  fi
}

# ours PID: the process is alive, not a zombie, and is a coord node (a pid file can outlive its
# process, and its pid be reused).
ours() {
  local state args
  kill -0 "$1" 2>/dev/null || return 1
  state="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
  case "${state// /}" in Z*) return 1 ;; esac
  args="$(ps -o args= -p "$1" 2>/dev/null)" || return 1
  # The JVM, or the launcher shells that exec into it a moment after the start.
  case "$args" in *coord.server.Main* | *bin/coord-server*) return 0 ;; esac
  return 1
}

# live_pid N: prints node N's pid when it runs; removes a stale pid file.
live_pid() {
  local pidfile pid
  pidfile="$(node_dir "$1")/node.pid"
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  if is_uint "$pid" && ours "$pid"; then
    echo "$pid"
    return 0
  fi
  rm -f "$pidfile"
  return 1
}

any_live() {
  local n
  for ((n = 1; n <= NODES; n++)); do live_pid "$n" >/dev/null && return 0; done
  return 1
}

# cli ARGS...: bin/coord, bounded in time where coreutils' timeout exists.
cli() {
  if command -v timeout >/dev/null 2>&1; then
    timeout 30 "$COORD_ROOT/bin/coord" "$@"
  else
    "$COORD_ROOT/bin/coord" "$@"
  fi
}

write_config() { # write_config N: coord.cfg and myid, only where they are absent
  local n="$1" d i tmp
  d="$(node_dir "$n")"
  mkdir -p "$d/data"
  if [ ! -f "$d/coord.cfg" ]; then
    tmp="$d/coord.cfg.tmp"
    {
      echo "# node $n of a local $NODES-node coord cluster, written by deploy/local/cluster.sh"
      echo "tickTime=2000"
      echo "initLimit=10"
      echo "syncLimit=5"
      echo "dataDir=$d/data"
      echo "clientPort=$(client_port "$n")"
      echo "clientPortAddress=$HOST"
      for ((i = 1; i <= NODES; i++)); do
        echo "server.$i=$HOST:$(raft_port "$i"):$(client_port "$i")"
      done
      echo "maxDataBytes=1048576"
    } >"$tmp"
    mv "$tmp" "$d/coord.cfg"
  fi
  [ -f "$d/data/myid" ] || echo "$n" >"$d/data/myid"
}

port_in_use() { # port_in_use PORT: something accepts connections on 127.0.0.1:PORT
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

start_node() { # start_node N: launch node N in the background, detached from this shell
  local n="$1" d pid port i
  d="$(node_dir "$n")"
  [ -f "$d/coord.cfg" ] || die 1 "$d/coord.cfg is missing: run 'cluster.sh start'"
  for port in "$(client_port "$n")" "$(raft_port "$n")"; do
    if port_in_use "$port"; then
      die 1 "port $port of node $n is in use by another process (pick free ports with COORD_BASE_PORT)"
    fi
  done
  rm -f "$d/node.pid"
  echo "=== $(date '+%Y-%m-%d %H:%M:%S') cluster.sh starting node $n" >>"$d/node.log"
  # The inner shell writes its own pid and then execs, through nohup and bin/coord-server, into the
  # JVM: the pid in node.pid is the node's. setsid takes the node out of this shell's session.
  local -a detach=()
  command -v setsid >/dev/null 2>&1 && detach=(setsid)
  # shellcheck disable=SC2016 # $$ and $@ belong to the inner shell
  JAVA_OPTS="$NODE_OPTS" ${detach[@]+"${detach[@]}"} nohup bash -c 'echo $$ >"$0" && exec "$@"' \
    "$d/node.pid" "$COORD_ROOT/bin/coord-server" --config "$d/coord.cfg" --id "$n" \
    >>"$d/node.log" 2>&1 </dev/null &
  for ((i = 0; i < 100; i++)); do
    pid="$(cat "$d/node.pid" 2>/dev/null || true)"
    [ -n "$pid" ] && break
    sleep 0.1
  done
  [ -n "$pid" ] || die 1 "node $n did not start; see $d/node.log"
  echo "node $n: started, pid $pid, client port $(client_port "$n"), raft port $(raft_port "$n"), log $d/node.log"
}

stop_nodes() { # stop_nodes N...: SIGTERM, wait, SIGKILL what is left
  local n pid deadline left
  local -a pids=() names=()
  for n in "$@"; do
    if pid="$(live_pid "$n")"; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
      names+=("$n")
    fi
  done
  [ "${#pids[@]}" -eq 0 ] && return 0
  deadline=$((SECONDS + STOP_TIMEOUT))
  while :; do
    left=0
    for pid in "${pids[@]}"; do ours "$pid" && left=1; done
    [ "$left" -eq 0 ] && break
    if [ "$SECONDS" -ge "$deadline" ]; then
      for pid in "${pids[@]}"; do
        if ours "$pid"; then
          echo "cluster.sh: pid $pid still running after ${STOP_TIMEOUT}s; sending SIGKILL" >&2
          kill -KILL "$pid" 2>/dev/null || true
        fi
      done
      wait_gone "${pids[@]}"
      break
    fi
    sleep 0.2
  done
  for n in "${names[@]}"; do
    rm -f "$(node_dir "$n")/node.pid"
    echo "node $n: stopped"
  done
}

wait_gone() { # wait_gone PID...: up to 10 s for killed processes to disappear
  local pid deadline=$((SECONDS + 10))
  for pid in "$@"; do
    while ours "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    ! ours "$pid" || die 1 "pid $pid did not exit after SIGKILL"
  done
}

tail_logs() { # tail_logs N...: the end of each node's log, to stderr
  local n
  for n in "$@"; do
    echo "----- node $n: tail of $(node_dir "$n")/node.log" >&2
    tail -n 40 "$(node_dir "$n")/node.log" >&2 2>/dev/null || true
  done
}

# wait_ready ENDPOINTS NODE...: until 'cluster status' over ENDPOINTS exits 0 (a node knows a
# leader), at most START_TIMEOUT seconds; fails early when every one of NODE... has exited.
wait_ready() {
  local eps="$1" n alive out
  shift
  local deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    if out="$(cli --endpoints "$eps" cluster status 2>&1)"; then
      return 0
    fi
    alive=0
    for n in "$@"; do live_pid "$n" >/dev/null && alive=1; done
    if [ "$alive" -eq 0 ]; then
      echo "cluster.sh: node(s) $* exited while starting" >&2
      tail_logs "$@"
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "cluster.sh: no leader after ${START_TIMEOUT}s; the last status was:" >&2
      echo "$out" >&2
      tail_logs "$@"
      echo "cluster.sh: the nodes are left running: 'cluster.sh logs N', 'cluster.sh stop'" >&2
      return 1
    fi
    sleep 1
  done
}

cmd_start() {
  local want="" n pid
  local -a todo=()
  while [ "$#" -gt 0 ]; do
    case "$1" in
      --nodes)
        [ "$#" -ge 2 ] || die 2 "--nodes needs a value: 1 or 3"
        want="$2"
        shift 2
        ;;
      --nodes=*)
        want="${1#--nodes=}"
        shift
        ;;
      *) die 2 "start: unknown option '$1' (usage: cluster.sh start [--nodes 1|3])" ;;
    esac
  done
  case "$want" in "" | 1 | 3) ;; *) die 2 "--nodes must be 1 or 3, got '$want'" ;; esac
  if [ -f "$STATE" ]; then
    load_state
    if [ -n "$want" ] && [ "$want" != "$NODES" ]; then
      die 2 "$DIR holds a $NODES-node cluster; stop and 'cluster.sh clean' it first, or set COORD_LOCAL_DIR"
    fi
  else
    load_state
    NODES="${want:-3}"
    mkdir -p "$DIR"
    printf 'nodes=%s\nbasePort=%s\n' "$NODES" "$BASE" >"$STATE"
  fi
  for ((n = 1; n <= NODES; n++)); do
    if pid="$(live_pid "$n")"; then
      echo "cluster.sh: node $n is already running (pid $pid); not starting it again" >&2
    else
      todo+=("$n")
    fi
  done
  [ "${#todo[@]}" -gt 0 ] || die 1 "every node is already running; see 'cluster.sh status'"
  coord_ensure_built coord-server coord-cli
  for n in "${todo[@]}"; do write_config "$n"; done
  for n in "${todo[@]}"; do start_node "$n"; done
  wait_ready "$(endpoints)" "${todo[@]}" || exit 1
  echo "COORD_ENDPOINTS=$(endpoints)"
  cli --endpoints "$(endpoints)" cluster status || true
}

cmd_stop() {
  local -a all=()
  local n
  if [ ! -f "$STATE" ]; then
    echo "cluster.sh: no cluster in $DIR; nothing to stop"
    return 0
  fi
  for ((n = 1; n <= NODES; n++)); do all+=("$n"); done
  any_live || {
    echo "cluster.sh: no node is running"
    return 0
  }
  stop_nodes "${all[@]}"
}

cmd_status() {
  local n pid rc=0
  [ -f "$STATE" ] || die 1 "no cluster in $DIR (start one with 'cluster.sh start')"
  cli --endpoints "$(endpoints)" "$@" cluster status || rc=$?
  for ((n = 1; n <= NODES; n++)); do
    if pid="$(live_pid "$n")"; then
      echo "node $n: pid $pid running" >&2
    else
      echo "node $n: not running" >&2
    fi
  done
  return "$rc"
}

cmd_kill() {
  local n="$1" pid
  check_node_arg "$n"
  pid="$(live_pid "$n")" || die 1 "node $n is not running"
  kill -KILL "$pid" 2>/dev/null || true
  wait_gone "$pid"
  rm -f "$(node_dir "$n")/node.pid"
  echo "node $n: killed (kill -9 of pid $pid)"
}

cmd_restart() {
  local n="$1"
  check_node_arg "$n"
  [ -f "$(node_dir "$n")/coord.cfg" ] || die 1 "node $n has no config in $(node_dir "$n"): run 'cluster.sh start'"
  coord_ensure_built coord-server coord-cli
  stop_nodes "$n"
  start_node "$n"
  if ! wait_ready "$HOST:$(client_port "$n")" "$n"; then
    exit 1
  fi
  cli --endpoints "$HOST:$(client_port "$n")" cluster status || true
}

cmd_logs() {
  local n="$1" log
  shift
  check_node_arg "$n"
  log="$(node_dir "$n")/node.log"
  [ -f "$log" ] || die 1 "node $n has no log yet ($log)"
  case "${1:-}" in
    "") tail -n 100 "$log" ;;
    -f) exec tail -n 100 -f "$log" ;;
    *) die 2 "logs: unknown option '$1' (usage: cluster.sh logs N [-f])" ;;
  esac
}

cmd_clean() {
  [ -e "$DIR" ] || {
    echo "cluster.sh: $DIR does not exist; nothing to clean"
    return 0
  }
  if any_live; then die 1 "nodes are running; 'cluster.sh stop' first"; fi
  # Delete only a folder this script made (or an empty one), never a mistyped COORD_LOCAL_DIR.
  if [ ! -f "$STATE" ] && [ -n "$(ls -A "$DIR")" ]; then
    die 1 "$DIR does not look like a cluster.sh data folder (no cluster.conf); not deleting it"
  fi
  rm -rf "$DIR"
  echo "cluster.sh: deleted $DIR"
}

verb="${1:-}"
[ "$#" -gt 0 ] && shift
case "$verb" in
  -h | --help | help | usage)
    usage
    exit 0
    ;;
  "")
    usage >&2
    exit 2
    ;;
  start | stop | status | clean | kill | restart | logs) ;;
  *)
    echo "cluster.sh: unknown command '$verb'" >&2
    usage >&2
    exit 2
    ;;
esac
case "$verb" in
  kill | restart) [ "$#" -eq 1 ] || die 2 "usage: cluster.sh $verb N" ;;
  logs) [ "$#" -ge 1 ] || die 2 "usage: cluster.sh logs N [-f]" ;;
  stop | clean) [ "$#" -eq 0 ] || die 2 "usage: cluster.sh $verb (no arguments)" ;;
esac
[ "$verb" = start ] || load_state
case "$verb" in
  start) cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status "$@" ;;
  clean) cmd_clean ;;
  kill) cmd_kill "$1" ;;
  restart) cmd_restart "$1" ;;
  logs) cmd_logs "$@" ;;
esac
