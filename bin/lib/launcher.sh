# shellcheck shell=bash
# Shared by bin/coord, bin/coord-server and deploy/local/cluster.sh: sourced, never run.
# The sourcing script sets COORD_ROOT to the repository root first.

# coord_module_jar MODULE: prints MODULE's main jar under target/, or fails when it is not built.
coord_module_jar() {
  local module="$1" jar
  for jar in "$COORD_ROOT/$module/target/$module"-*.jar; do
    case "$jar" in
      *-sources.jar | *-javadoc.jar | *-tests.jar) continue ;;
    esac
    if [ -f "$jar" ]; then
      printf '%s\n' "$jar"
      return 0
    fi
  done
  return 1
}

# coord_is_built MODULE: true when MODULE's jar and target/lib/ (its runtime dependencies) exist.
coord_is_built() {
  coord_module_jar "$1" >/dev/null && [ -d "$COORD_ROOT/$1/target/lib" ]
}

# coord_ensure_built MODULE...: builds the reactor once when any MODULE is missing its jar or lib/.
# Maven's output goes to stderr, so that a command's stdout stays its data.
coord_ensure_built() {
  local module missing=()
  for module in "$@"; do
    coord_is_built "$module" || missing+=("$module")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if ! command -v mvn >/dev/null 2>&1; then
    echo "coord: ${missing[*]} not built and mvn is not on PATH; build with 'mvn -B -DskipTests package'" >&2
    return 1
  fi
  echo "coord: building with 'mvn -B -q -DskipTests package' (not built yet: ${missing[*]}) ..." >&2
  (
    cd "$COORD_ROOT" || exit 1
    # Two launchers started at once build once: the second waits, then finds the jars.
    if command -v flock >/dev/null 2>&1; then
      exec 9>"${TMPDIR:-/tmp}/coord-build-$(id -u).lock"
      flock -w 900 9 || true
      local all=1
      for module in "${missing[@]}"; do coord_is_built "$module" || all=0; done
      [ "$all" -eq 1 ] && exit 0
    fi
    mvn -B -q -DskipTests package
  ) >&2 || {
    echo "coord: build failed" >&2
    return 1
  }
  for module in "${missing[@]}"; do
    coord_is_built "$module" || {
      echo "coord: build finished but $module/target has no jar or lib/" >&2
      return 1
    }
  done
}

# coord_java: prints the java executable ($JAVA_HOME/bin/java when JAVA_HOME is set).
coord_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    printf '%s\n' "$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    command -v java
  else
    echo "coord: no java found: install Java 17+ or set JAVA_HOME" >&2
    return 1
  fi
}

# coord_exec MODULE MAIN_CLASS "DEFAULT JVM FLAGS" ARGS...: replaces the shell with the JVM, so that
# signals reach it and its exit code is the script's. $JAVA_OPTS comes after the defaults (it wins).
coord_exec() {
  local module="$1" main="$2" defaults="$3" java jar
  shift 3
  coord_ensure_built "$module"
  java="$(coord_java)"
  jar="$(coord_module_jar "$module")"
  local -a jvm_opts=() user_opts=()
  read -r -a jvm_opts <<<"$defaults"
  read -r -a user_opts <<<"${JAVA_OPTS:-}"
  exec "$java" ${jvm_opts[@]+"${jvm_opts[@]}"} ${user_opts[@]+"${user_opts[@]}"} \
    -cp "$jar:$COORD_ROOT/$module/target/lib/*" "$main" "$@"
}
