#!/usr/bin/env bash
# bench/compare.sh: coord side by side with Apache ZooKeeper 3.9.5 and etcd 3.4 on this machine, with one
# load generator (coord-bench) and the same workloads, client counts and settings for all three: three
# members each (default), or one (--nodes 1: standalone ZooKeeper, a one-member etcd, coord's single-node
# mode). Writes a markdown table (medians of --repeats runs, with ratios) to stdout and into
# docs/benchmarks.md, each member count into its own marked region.
# See docs/benchmarks.md ("Side by side with ZooKeeper and etcd").
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/compare.sh [options]

  --warmup S        load on each system before its first measured cell, not measured (default 180:
                    the JVMs still compile hot code for 2 minutes and more under load)
  --duration S      measured seconds of each cell (default 20)
  --cell-warmup S   load before each cell's clock starts, not measured (default 5)
  --repeats N       runs of every cell; the table shows medians (default 3)
  --quick           a smoke of the whole pipeline: --warmup 10 --duration 3 --cell-warmup 1 --repeats 1
                    (options after it still apply)
  --systems LIST    comma-separated subset of coord,zookeeper,etcd (default all three)
  --nodes N         members of each system: 3 (default: a ZooKeeper ensemble, an etcd cluster, a coord
                    cluster) or 1 (standalone ZooKeeper, a one-member etcd, coord's single-node mode;
                    every client then talks to member 1). The table goes into its own region of the
                    document, so a --nodes 1 run leaves the three-node table alone.
  --base-port P     ports used, for member n of 1..N: P+180+n ZooKeeper clients, P+280+n and P+380+n its
                    quorum and election (three members only), P+400+n etcd clients, P+410+n its peers,
                    P+500+n and P+510+n coord (default 17000)
  --no-doc          do not update docs/benchmarks.md
  --keep-workdir    leave the temporary folder (data, logs, raw JSON results) in place

Needs Java 17+ and Maven; installs Debian's etcd-server with apt-get when etcd is missing (root).
Every process and folder it starts is removed on exit, Ctrl-C included.
EOF
}

src="${BASH_SOURCE[0]}"
while [ -L "$src" ]; do
  dir="$(cd -P "$(dirname "$src")" && pwd)"
  src="$(readlink "$src")"
  case "$src" in /*) ;; *) src="$dir/$src" ;; esac
done
ROOT="$(cd -P "$(dirname "$src")/.." && pwd)"
COORD_ROOT="$ROOT"
# shellcheck source=SCRIPTDIR/../bin/lib/launcher.sh
. "$ROOT/bin/lib/launcher.sh"

WARMUP=180
DURATION=20
CELL_WARMUP=5
REPEATS=3
SYSTEMS="coord,zookeeper,etcd"
NODES=3
BASE=17000
UPDATE_DOC=1
KEEP_WORKDIR=0
QUICK=0

die() {
  echo "compare.sh: $*" >&2
  exit 1
}
is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }

while [ $# -gt 0 ]; do
  case "$1" in
    --warmup | --duration | --cell-warmup | --repeats | --base-port)
      if [ $# -lt 2 ] || ! is_uint "$2"; then die "$1 needs a whole number"; fi
      case "$1" in
        --warmup) WARMUP="$2" ;;
        --duration) DURATION="$2" ;;
        --cell-warmup) CELL_WARMUP="$2" ;;
        --repeats) REPEATS="$2" ;;
        --base-port) BASE="$2" ;;
      esac
      shift 2
      ;;
    --quick)
      QUICK=1 WARMUP=10 DURATION=3 CELL_WARMUP=1 REPEATS=1
      shift
      ;;
    --systems)
      [ $# -ge 2 ] || die "--systems needs a list"
      SYSTEMS="$2"
      shift 2
      ;;
    --nodes)
      if [ $# -lt 2 ] || { [ "$2" != 1 ] && [ "$2" != 3 ]; }; then die "--nodes must be 1 or 3"; fi
      NODES="$2"
      shift 2
      ;;
    --no-doc) UPDATE_DOC=0 && shift ;;
    --keep-workdir) KEEP_WORKDIR=1 && shift ;;
    -h | --help) usage && exit 0 ;;
    *) usage >&2 && exit 2 ;;
  esac
done
[ "$DURATION" -ge 1 ] || die "--duration must be at least 1"
[ "$REPEATS" -ge 1 ] || die "--repeats must be at least 1"
if [ "$BASE" -lt 1024 ] || [ "$BASE" -gt 65000 ]; then die "--base-port must be 1024..65000"; fi
for s in ${SYSTEMS//,/ }; do
  case "$s" in coord | zookeeper | etcd) ;; *) die "unknown system '$s' in --systems" ;; esac
done
has_system() { [[ ",$SYSTEMS," == *",$1,"* ]]; }
MEMBER_IDS="1"
[ "$NODES" -eq 3 ] && MEMBER_IDS="1 2 3"

HOST=127.0.0.1
WORK="$(mktemp -d "${TMPDIR:-/tmp}/coord-compare.XXXXXX")"
RESULTS="$WORK/results"
mkdir -p "$RESULTS"
ZK_PIDS=()
ETCD_PIDS=()
BENCH_PID=""
COORD_UP=0

log() { echo "compare.sh: $(date -u '+%H:%M:%S') $*" >&2; }

# stop_pids PID...: SIGTERM, up to 20 s to exit, then SIGKILL.
stop_pids() {
  local pid i
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for ((i = 0; i < 200; i++)); do
    local alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && return 0
    sleep 0.1
  done
  for pid in "$@"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
}

stop_coord() {
  if [ "$COORD_UP" -eq 1 ]; then
    COORD_LOCAL_DIR="$WORK/coord" COORD_BASE_PORT="$((BASE + 500))" "$ROOT/deploy/local/cluster.sh" stop >&2 || true
    COORD_UP=0
  fi
}

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ -n "$BENCH_PID" ] && stop_pids "$BENCH_PID"
  [ "${#ZK_PIDS[@]}" -gt 0 ] && stop_pids "${ZK_PIDS[@]}"
  [ "${#ETCD_PIDS[@]}" -gt 0 ] && stop_pids "${ETCD_PIDS[@]}"
  stop_coord
  if [ "$KEEP_WORKDIR" -eq 1 ]; then
    echo "compare.sh: kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
require_free() {
  local p
  for p in "$@"; do
    port_in_use "$p" && die "port $p is in use: choose other ports with --base-port"
  done
  return 0
}

# ask PORT REQUEST: sends REQUEST to HOST:PORT and prints the answer (bash's /dev/tcp, no extra tools).
ask() {
  local port="$1" request="$2"
  (
    exec 3<>"/dev/tcp/$HOST/$port" || exit 1
    printf '%b' "$request" >&3
    timeout 5 cat <&3
  ) 2>/dev/null
}

JAVA="$(coord_java)"

# ---------------------------------------------------------------------------------------------- build
build() {
  log "building coord (server, cli, bench, bench-peers) with Maven ..."
  (cd "$ROOT" && mvn -B -q -DskipTests -pl coord-server,coord-cli,coord-bench-peers -am package) >&2 \
    || die "build failed"
  PEERS_JAR="$(coord_module_jar coord-bench-peers)" || die "no coord-bench-peers jar after the build"
  BENCH_CP="$PEERS_JAR:$ROOT/coord-bench-peers/target/lib/*"
  if has_system zookeeper; then
    log "fetching the ZooKeeper 3.9.5 server's jars from Maven Central ..."
    mvn -B -q -f "$ROOT/bench/zookeeper-server/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$WORK/zookeeper-lib" >&2 || die "could not fetch ZooKeeper's jars"
  fi
  if has_system etcd && ! command -v etcd >/dev/null 2>&1; then
    log "installing Debian's etcd-server ..."
    [ "$(id -u)" -eq 0 ] || die "etcd is missing and installing it needs root (apt-get install etcd-server)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server) >&2 \
      || die "apt-get install etcd-server failed"
  fi
}

# ---------------------------------------------------------------------------------------------- load
# The cells: NAME|WORKLOAD ARGS. Outstanding = clients × per-client outstanding.
CELLS=(
  "write-1|write --clients 1 --outstanding 1"
  "write-16|write --clients 4 --outstanding 4"
  "write-128|write --clients 4 --outstanding 32"
  "read-lin-1|read --clients 1 --outstanding 1"
  "read-lin-128|read --clients 4 --outstanding 32"
  "read-stale-1|read --stale --clients 1 --outstanding 1"
  "read-stale-128|read --stale --clients 4 --outstanding 32"
  "create-delete-16|create-delete --clients 4 --outstanding 4"
  "mixed-128|mixed --clients 4 --outstanding 32"
  "watch|watch-latency"
)

# run_workloads SYSTEM ENDPOINTS: the system's warm-up, then every cell --repeats times (interleaved), all
# in ONE load-generator JVM (coord.bench.Batch): the warm-up then also warms the load generator's own JIT,
# which in a fresh JVM compiles for half a minute and more (gRPC's client far longer than ZooKeeper's).
run_workloads() {
  local system="$1" endpoints="$2" r cell name args event file rc
  local dir="$RESULTS/$system"
  local common="--system $system --endpoints $endpoints --value-size 100 --keys 1000 --timeout 10s -o json"
  mkdir -p "$dir"
  {
    echo "$dir/warmup.json mixed --read-ratio 0.5 --clients 4 --outstanding 32 --duration ${WARMUP}s" \
      "--warmup 0 --prefix /compare-warmup $common"
    for ((r = 1; r <= REPEATS; r++)); do
      for cell in "${CELLS[@]}"; do
        name="${cell%%|*}"
        args="${cell#*|}"
        echo "$dir/$name.r$r.json $args --duration ${DURATION}s --warmup ${CELL_WARMUP}s" \
          "--prefix /compare-$name-r$r $common"
      done
    done
  } >"$dir/runs.txt"
  mkfifo "$dir/events"
  # the ZooKeeper and etcd clients log every connection at INFO: warnings only
  "$JAVA" -Xms512m -Xmx512m -XX:+UseG1GC -Dorg.slf4j.simpleLogger.log.org.apache.zookeeper=warn \
    -Dorg.slf4j.simpleLogger.log.io.etcd=warn -cp "$BENCH_CP" coord.bench.Batch \
    <"$dir/runs.txt" >"$dir/events" 2>>"$dir/bench.log" &
  BENCH_PID=$!
  while read -r event file rc; do
    name="$(basename "$file" .json)"
    case "$event" in
      start)
        if [ "$name" = warmup ]; then
          log "$system: warm-up, ${WARMUP}s of mixed load (50% writes)"
        else
          log "$system: ${name%.r*} (run ${name##*.r} of $REPEATS)"
        fi
        ;;
      done)
        if [ "$name" = warmup ] && [ "$rc" -ne 0 ]; then
          log "$system: the warm-up ended with exit code $rc (see $dir/bench.log)"
        elif [ "$rc" -gt 1 ]; then
          log "$system: $name failed (exit code $rc): left out of the table; see $dir/bench.log"
          rm -f "$file"
        fi
        ;;
    esac
  done <"$dir/events"
  rc=0
  wait "$BENCH_PID" || rc=$?
  BENCH_PID=""
  [ "$rc" -eq 0 ] || die "$system: the load generator died (exit code $rc); see $dir/bench.log"
}

# ---------------------------------------------------------------------------------------------- ZooKeeper
zk_client_port() { echo $((BASE + 180 + $1)); }

# start_zookeeper: a NODES-server ensemble, or with one node a standalone server (a zoo.cfg without
# server.N lines: ZooKeeperServerMain, no quorum ports, no myid).
start_zookeeper() {
  local n i d
  for ((n = 1; n <= NODES; n++)); do
    if [ "$NODES" -gt 1 ]; then
      require_free "$(zk_client_port "$n")" $((BASE + 280 + n)) $((BASE + 380 + n))
    else
      require_free "$(zk_client_port "$n")"
    fi
  done
  for ((n = 1; n <= NODES; n++)); do
    d="$WORK/zookeeper/$n"
    mkdir -p "$d/data"
    if [ "$NODES" -gt 1 ]; then echo "$n" >"$d/data/myid"; fi
    {
      # zoo_sample.cfg's timing; everything else ZooKeeper's defaults (forceSync=yes: fsync per txn log write)
      echo "tickTime=2000"
      echo "initLimit=10"
      echo "syncLimit=5"
      echo "dataDir=$d/data"
      echo "clientPort=$(zk_client_port "$n")"
      echo "clientPortAddress=$HOST"
      echo "admin.enableServer=false"
      echo "4lw.commands.whitelist=srvr"
      if [ "$NODES" -gt 1 ]; then
        for ((i = 1; i <= NODES; i++)); do
          echo "server.$i=$HOST:$((BASE + 280 + i)):$((BASE + 380 + i))"
        done
      fi
    } >"$d/zoo.cfg"
    # zkServer.sh's default heap (ZK_SERVER_HEAP=1000 MB)
    "$JAVA" -Xmx1000m -Dlogback.configurationFile="$ROOT/bench/zookeeper-server/logback.xml" \
      -cp "$WORK/zookeeper-lib/*" org.apache.zookeeper.server.quorum.QuorumPeerMain "$d/zoo.cfg" \
      >"$d/server.log" 2>&1 &
    ZK_PIDS+=($!)
  done
  local deadline=$((SECONDS + 120)) modes
  while :; do
    modes=""
    for ((n = 1; n <= NODES; n++)); do
      modes="$modes $(ask "$(zk_client_port "$n")" 'srvr\n' | sed -n 's/^Mode: //p' || true)"
    done
    # an ensemble has a leader; a standalone server says "Mode: standalone"
    [[ "$modes" == *leader* || "$modes" == *standalone* ]] && [ "$(wc -w <<<"$modes")" -eq "$NODES" ] && break
    [ "$SECONDS" -lt "$deadline" ] || die "ZooKeeper not serving after 120 s (modes:$modes); logs in $WORK/zookeeper"
    sleep 1
  done
  log "zookeeper: up, modes (servers $MEMBER_IDS):$modes"
  echo "zookeeper modes (servers $MEMBER_IDS):$modes" >>"$RESULTS/roles.txt"
}

stop_zookeeper() {
  [ "${#ZK_PIDS[@]}" -gt 0 ] && stop_pids "${ZK_PIDS[@]}"
  ZK_PIDS=()
}

# ---------------------------------------------------------------------------------------------- etcd
etcd_client_port() { echo $((BASE + 400 + $1)); }
etcd_peer_port() { echo $((BASE + 410 + $1)); }

# start_etcd: a NODES-member cluster (with one node, its --initial-cluster names only itself).
start_etcd() {
  local n cluster="" d answer
  for ((n = 1; n <= NODES; n++)); do
    require_free "$(etcd_client_port "$n")" "$(etcd_peer_port "$n")"
    cluster="$cluster${cluster:+,}m$n=http://$HOST:$(etcd_peer_port "$n")"
  done
  for ((n = 1; n <= NODES; n++)); do
    d="$WORK/etcd/$n"
    mkdir -p "$d"
    # defaults otherwise: heartbeat 100 ms, election timeout 1000 ms, WAL fsync on every batch
    etcd --name "m$n" --data-dir "$d/data" \
      --listen-client-urls "http://$HOST:$(etcd_client_port "$n")" \
      --advertise-client-urls "http://$HOST:$(etcd_client_port "$n")" \
      --listen-peer-urls "http://$HOST:$(etcd_peer_port "$n")" \
      --initial-advertise-peer-urls "http://$HOST:$(etcd_peer_port "$n")" \
      --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token coord-compare \
      >"$d/server.log" 2>&1 &
    ETCD_PIDS+=($!)
  done
  local deadline=$((SECONDS + 120)) healthy roles
  while :; do
    healthy=0
    for ((n = 1; n <= NODES; n++)); do
      answer="$(ask "$(etcd_client_port "$n")" 'GET /health HTTP/1.0\r\n\r\n' || true)"
      [[ "$answer" == *'"health":"true"'* ]] && healthy=$((healthy + 1))
    done
    [ "$healthy" -eq "$NODES" ] && break
    [ "$SECONDS" -lt "$deadline" ] || die "etcd cluster not healthy after 120 s; logs in $WORK/etcd"
    sleep 1
  done
  roles=""
  for ((n = 1; n <= NODES; n++)); do
    # read it all before grep: grep -q stopping early would fail the pipeline (pipefail)
    answer="$(ask "$(etcd_client_port "$n")" 'GET /metrics HTTP/1.0\r\n\r\n' || true)"
    if grep -q '^etcd_server_is_leader 1' <<<"$answer"; then
      roles="$roles leader"
    else
      roles="$roles follower"
    fi
  done
  log "etcd: $(etcd --version | head -n 1), cluster up, roles (members $MEMBER_IDS):$roles"
  echo "etcd roles (members $MEMBER_IDS):$roles" >>"$RESULTS/roles.txt"
}

stop_etcd() {
  [ "${#ETCD_PIDS[@]}" -gt 0 ] && stop_pids "${ETCD_PIDS[@]}"
  ETCD_PIDS=()
}

# ---------------------------------------------------------------------------------------------- coord
coord_client_port() { echo $((BASE + 500 + $1)); }

# start_coord: deploy/local/cluster.sh start --nodes NODES (one node: coord's single-node mode).
start_coord() {
  local status roles role n
  for ((n = 1; n <= NODES; n++)); do
    require_free "$(coord_client_port "$n")" $((BASE + 510 + n))
  done
  COORD_UP=1
  COORD_LOCAL_DIR="$WORK/coord" COORD_BASE_PORT="$((BASE + 500))" "$ROOT/deploy/local/cluster.sh" start \
    --nodes "$NODES" >&2 || die "coord did not start; logs in $WORK/coord"
  status="$(COORD_LOCAL_DIR="$WORK/coord" "$ROOT/deploy/local/cluster.sh" status 2>&1 || true)"
  roles=""
  for ((n = 1; n <= NODES; n++)); do
    role="$(sed -n "s/^id=$n .*role=\([A-Z]*\).*/\1/p" <<<"$status" | head -n 1 | tr '[:upper:]' '[:lower:]')"
    roles="$roles ${role:-unknown}"
  done
  log "coord: cluster up, roles (nodes $MEMBER_IDS):$roles"
  echo "coord roles (nodes $MEMBER_IDS):$roles" >>"$RESULTS/roles.txt"
}

# ---------------------------------------------------------------------------------------------- main
# endpoints PORT_FUNCTION: HOST:port of members 1..NODES, comma-separated (coord-bench's --endpoints).
endpoints() {
  local n eps=""
  for ((n = 1; n <= NODES; n++)); do eps="$eps${eps:+,}$HOST:$("$1" "$n")"; done
  echo "$eps"
}

STARTED="$(date -u '+%Y-%m-%d %H:%M UTC')"
build
if has_system zookeeper; then
  if [ "$NODES" -gt 1 ]; then
    log "zookeeper: starting a $NODES-server ensemble on $(endpoints zk_client_port)"
  else
    log "zookeeper: starting a standalone server on $(endpoints zk_client_port)"
  fi
  start_zookeeper
  run_workloads zookeeper "$(endpoints zk_client_port)"
  stop_zookeeper
fi
if has_system etcd; then
  log "etcd: starting a $NODES-member cluster on $(endpoints etcd_client_port)"
  start_etcd
  run_workloads etcd "$(endpoints etcd_client_port)"
  stop_etcd
fi
if has_system coord; then
  log "coord: starting a $NODES-node cluster on $(endpoints coord_client_port)"
  start_coord
  run_workloads coord "$(endpoints coord_client_port)"
  stop_coord
fi

LOADAVG="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
KIND="full run"
[ "$QUICK" -eq 1 ] && KIND="QUICK SMOKE RUN (--quick): seconds-long cells, one run each; not a measurement"
if [ "$NODES" -gt 1 ]; then
  LAYOUT="three members on 127.0.0.1 (ZooKeeper 3.9.5: an ensemble of separate JVMs with -Xmx1000m"
  ETCD_KIND="a three-member cluster"
  COORD_KIND="deploy/local/cluster.sh, three nodes"
  PLACEMENT="Writes and creates go to member 1; reads spread over the members (client i at member i mod 3);"
  PLACEMENT="$PLACEMENT watch latency: writer at member 1, watcher at member 2."
else
  LAYOUT="a single member on 127.0.0.1 (ZooKeeper 3.9.5: standalone, one JVM with -Xmx1000m"
  ETCD_KIND="a single-member cluster"
  COORD_KIND="single-node mode, deploy/local/cluster.sh --nodes 1"
  PLACEMENT="Every client talks to the one member: writes, creates, reads, and both the writer and the"
  PLACEMENT="$PLACEMENT watcher of the watch-latency cell."
fi
{
  echo "**$KIND**, $STARTED, commit \`$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)\`" \
    "on $(nproc) cores, $(free -g 2>/dev/null | awk '/^Mem:/ {print $2 " GiB"}'), load average at the end $LOADAVG."
  echo "Command: \`bench/compare.sh --warmup $WARMUP --duration $DURATION --cell-warmup $CELL_WARMUP" \
    "--repeats $REPEATS --systems $SYSTEMS --nodes $NODES\`. Each system alone on the machine, $LAYOUT," \
    "zoo_sample.cfg timing, forceSync=yes;" \
    "etcd $(command -v etcd >/dev/null && etcd --version | sed -n 's/^etcd Version: //p'): $ETCD_KIND, defaults;" \
    "coord: $COORD_KIND, -Xmx512m, Raft log fsynced before acknowledgement)." \
    "One coord-bench JVM (-Xmx512m, G1) per system runs its warm-up and all its cells: 100-byte values, 1000 keys," \
    "${WARMUP} s warm-up per system, then each cell ${CELL_WARMUP} s unmeasured + ${DURATION} s measured," \
    "${REPEATS} run(s) per cell, interleaved. $PLACEMENT"
  if [ -f "$RESULTS/roles.txt" ]; then
    grep -E '^(zookeeper|etcd|coord) ' "$RESULTS/roles.txt" | sed 's/^/Roles: /; s/$/./' || true
  fi
} >"$WORK/settings.md"

DOC_ARGS=()
[ "$UPDATE_DOC" -eq 1 ] && DOC_ARGS=("$ROOT/docs/benchmarks.md")
"$JAVA" -cp "$BENCH_CP" coord.bench.peers.CompareTable "$RESULTS" "$WORK/settings.md" --nodes "$NODES" \
  ${DOC_ARGS[@]+"${DOC_ARGS[@]}"}
[ "$UPDATE_DOC" -eq 1 ] && log "table written into docs/benchmarks.md ($NODES-member region)"
exit 0
