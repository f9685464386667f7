#!/usr/bin/env bash
# Run a command (the test suite) with a Neo4j 5 community server for it, then stop the server.
#
#   tests/neo4j/with-neo4j.sh COMMAND [ARGS...]
#
# Maven resolves org.neo4j:neo4j (tests/neo4j/pom.xml) into .cache/neo4j/repository (the
# first run downloads about 160 MB; later runs reuse it without asking Maven), javac compiles
# tests/neo4j/TestServer.java, and the server starts with its database in a fresh temporary
# folder and Bolt on a free port of 127.0.0.1, authentication off. Once Bolt answers, COMMAND
# runs with NEO4J_URI set; the server is stopped and its folder removed however COMMAND ends,
# and the script exits with COMMAND's exit code.
#
# When NEO4J_URI is already set, that server is used and none is started. When Java 17+ or
# Maven is missing, or the server does not start, COMMAND runs without NEO4J_URI and with
# TEJIDO_NEO4J_UNAVAILABLE saying why, which the Neo4j tests give as their skip reason.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${TEJIDO_NEO4J_CACHE:-$root/.cache/neo4j}"
start_timeout="${TEJIDO_NEO4J_START_TIMEOUT:-180}"
python="${TEJIDO_PYTHON:-$root/.venv/bin/python}"

say() { echo "with-neo4j: $*" >&2; }

without_neo4j() {
  say "$1; the Neo4j tests will be skipped"
  export TEJIDO_NEO4J_UNAVAILABLE="$1"
  unset NEO4J_URI
  "${@:2}"
  exit $?
}

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi
if [ -n "${NEO4J_URI:-}" ]; then
  say "NEO4J_URI is set ($NEO4J_URI): using that server"
  "$@"
  exit $?
fi

# -- prerequisites ----------------------------------------------------------------------
command -v java >/dev/null 2>&1 || without_neo4j "java is not installed (Neo4j 5 needs Java 17 or later)" "$@"
command -v javac >/dev/null 2>&1 || without_neo4j "javac is not installed (a JDK 17 or later is needed)" "$@"
java_major="$(java -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')"
if [ -z "$java_major" ] || [ "$java_major" -lt 17 ]; then
  without_neo4j "java is version ${java_major:-unknown}; Neo4j 5 needs Java 17 or later" "$@"
fi

# -- class path (Maven, only when the pom changed) and the launcher ----------------------
mkdir -p "$cache/classes"
classpath="$cache/classpath.txt"
if [ ! -s "$classpath" ] || [ "$here/pom.xml" -nt "$classpath" ]; then
  command -v mvn >/dev/null 2>&1 || without_neo4j "Maven (mvn) is not installed" "$@"
  say "resolving Neo4j with Maven into $cache/repository (the first run downloads about 160 MB)"
  if ! mvn -q -B -f "$here/pom.xml" -Dmaven.repo.local="$cache/repository" \
      dependency:build-classpath -Dmdep.outputFile="$classpath.partial" >"$cache/maven.log" 2>&1; then
    tail -20 "$cache/maven.log" >&2
    without_neo4j "Maven could not resolve org.neo4j:neo4j (see $cache/maven.log)" "$@"
  fi
  mv "$classpath.partial" "$classpath"
fi
printf -- '-cp\n"%s:%s"\n' "$cache/classes" "$(cat "$classpath")" > "$cache/java.args"
if [ ! -f "$cache/classes/TestServer.class" ] || [ "$here/TestServer.java" -nt "$cache/classes/TestServer.class" ] \
    || [ "$classpath" -nt "$cache/classes/TestServer.class" ]; then
  javac -nowarn -d "$cache/classes" "@$cache/java.args" "$here/TestServer.java" \
    || without_neo4j "tests/neo4j/TestServer.java does not compile" "$@"
fi

# -- start, wait for Bolt, run, stop -----------------------------------------------------
home="$(mktemp -d "${TMPDIR:-/tmp}/tejido-neo4j.XXXXXX")"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null
    for _ in $(seq 60); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
    say "Neo4j stopped"
  fi
  rm -rf "$home"
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started=$SECONDS
java -Xms256m -Xmx1g "@$cache/java.args" TestServer "$home/db" "$home/port" "$$" \
  >"$home/server.log" 2>&1 &
server_pid=$!

bolt_answers() {
  if [ -x "$python" ]; then
    "$python" - "$1" <<'EOF' >/dev/null 2>&1
import sys
from neo4j import GraphDatabase
with GraphDatabase.driver(f"bolt://127.0.0.1:{sys.argv[1]}", connection_timeout=5) as d:
    d.verify_connectivity()
EOF
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

port=""
while [ $((SECONDS - started)) -lt "$start_timeout" ]; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    tail -20 "$home/server.log" >&2
    server_pid=""
    without_neo4j "the Neo4j test server exited while starting" "$@"
  fi
  if [ -s "$home/port" ] && bolt_answers "$(cat "$home/port")"; then
    port="$(cat "$home/port")"
    break
  fi
  sleep 1
done
if [ -z "$port" ]; then
  tail -20 "$home/server.log" >&2
  stop_server
  server_pid=""
  without_neo4j "the Neo4j test server did not answer within ${start_timeout}s" "$@"
fi

export NEO4J_URI="bolt://127.0.0.1:$port"
unset NEO4J_USER NEO4J_PASSWORD NEO4J_DATABASE
say "$(head -1 "$home/server.log") (started in $((SECONDS - started))s)"
"$@"
status=$?
exit "$status"
