#!/usr/bin/env bash
# A long fault run: builds coord-it and what it needs, then runs the fault driver (coord.it.run.Main) for
# the given minutes of faults and prints where the report is. See docs/reliability.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: coord-it/soak.sh --minutes N [--failpoint NAME] [--seed S] [DRIVER OPTION ...]

  --minutes N        minutes of faults (required); the run adds start-up, a full restart and the checks
  --failpoint NAME   start every member with -Dcoord.failpoint=NAME (a deliberately broken build)
  --seed S           repeat the fault order and targets of an earlier run (printed in every report)
  DRIVER OPTION      any other option of coord.it.run.Main: --network auto|loopback|netns|proxy,
                     --faults KIND,..., --hold-seconds N, --rest-seconds N, --clock, --run-dir DIR

environment:
  COORD_SOAK_SKIP_BUILD=1   do not run Maven (coord-it/target must be built already)

Exit status: 0 when the run passed, 1 when it failed, 2 for a usage error.
USAGE
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minutes=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes)
      [ $# -ge 2 ] || { usage >&2; exit 2; }
      minutes="$2"
      shift 2
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      args+=("$1")
      shift
      ;;
  esac
done
if ! [[ "$minutes" =~ ^[0-9]+$ ]] || [ "$minutes" -lt 1 ]; then
  echo "soak.sh: --minutes N is required, N a positive number" >&2
  usage >&2
  exit 2
fi

cd "$ROOT"
if [ "${COORD_SOAK_SKIP_BUILD:-0}" != 1 ]; then
  echo "soak.sh: building coord-it (mvn -B -q -DskipTests package -pl coord-it -am) ..." >&2
  mvn -B -q -DskipTests package -pl coord-it -am >&2
fi
if [ ! -f coord-it/target/node.classpath ] || [ ! -d coord-it/target/classes ]; then
  echo "soak.sh: coord-it/target is not built; run without COORD_SOAK_SKIP_BUILD" >&2
  exit 2
fi

run_dir="$ROOT/coord-it/target/runs/soak-$(date -u +%Y%m%d-%H%M%S)"
echo "soak.sh: $minutes minute(s) of faults; run folder $run_dir" >&2
set +e
java -cp "coord-it/target/classes:$(cat coord-it/target/node.classpath)" coord.it.run.Main \
  --minutes "$minutes" --run-dir "$run_dir" "${args[@]}"
status=$?
set -e
echo "soak.sh: report: $run_dir/report.md (and report.json); member logs: $run_dir/n*.log"
exit "$status"
