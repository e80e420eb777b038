#!/usr/bin/env bash
# A real Confluent-compatible schema registry for dev and tests: Apicurio Registry 3.0.9 from Maven
# Central (the runnable archive; Confluent's own registry is not on Central), in-memory storage,
# Java 17. Its Confluent API is at http://127.0.0.1:<port>/apis/ccompat/v7. Facts: docs/schemas.md.
#
# Usage: scripts/schema-registry.sh start|stop|status|install
# Env: REGISTRY_HOME_DIR (state: pid, log; default <repo>/.kafka/schema-registry),
#      REGISTRY_PORT (required for start), REGISTRY_CACHE_DIR (the unpacked archive, shared by every
#      instance; default ~/.cache/kgate/apicurio-registry-3.0.9), REGISTRY_START_TIMEOUT (s, 90).
# The unpacked archive is cached: a cold install (mvn dependency:get, 114 MB) prints its time.
set -euo pipefail
VERSION=3.0.9
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOME_DIR=${REGISTRY_HOME_DIR:-$ROOT/.kafka/schema-registry}
CACHE=${REGISTRY_CACHE_DIR:-$HOME/.cache/kgate/apicurio-registry-$VERSION}
JAR=$CACHE/apicurio-registry-app-$VERSION-runner.jar
PID_FILE=$HOME_DIR/registry.pid PORT_FILE=$HOME_DIR/registry.port LOG=$HOME_DIR/registry.log
START_TIMEOUT=${REGISTRY_START_TIMEOUT:-90}

log() { echo "schema-registry: $*"; }
die() { echo "schema-registry: error: $*" >&2; exit 1; }

running_pid() {
  local pid; pid=$(cat "$PID_FILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && ps -p "$pid" -o args= 2>/dev/null | grep -qF "$JAR" || return 1
  echo "$pid"
}

install() {
  [ -f "$JAR" ] && return 0
  mkdir -p "$(dirname "$CACHE")"
  exec 9>"$CACHE.lock"; command -v flock >/dev/null && flock 9
  [ -f "$JAR" ] && return 0
  command -v mvn >/dev/null || die "mvn not found (needed once to fetch Apicurio Registry)"
  local t0=$SECONDS tmp=$CACHE.tmp.$$
  log "cold install: fetching Apicurio Registry $VERSION from Maven Central (114 MB, one-time)..."
  # dependency:get, not :copy (the parent POM is not on Central).
  mvn -q -B dependency:get -Dartifact=io.apicurio:apicurio-registry-app:$VERSION:tar.gz:all -Dtransitive=false \
    </dev/null >"$CACHE.mvn.log" 2>&1 || { cat "$CACHE.mvn.log" >&2; die "Maven could not fetch Apicurio Registry"; }
  rm -rf "$tmp"; mkdir -p "$tmp"
  tar -xzf "$HOME/.m2/repository/io/apicurio/apicurio-registry-app/$VERSION/apicurio-registry-app-$VERSION-all.tar.gz" -C "$tmp"
  local jar; jar=$(find "$tmp" -name "apicurio-registry-app-$VERSION-runner.jar" | head -1)
  [ -n "$jar" ] || die "the archive holds no runner jar"
  rm -rf "$CACHE"; mv "$(dirname "$jar")" "$CACHE"; rm -rf "$tmp"
  log "installed in $((SECONDS - t0))s at $CACHE"
}

start() {
  [ -n "${REGISTRY_PORT:-}" ] || die "REGISTRY_PORT is required (a free port)"
  install
  if pid=$(running_pid); then log "already running (pid $pid, port $(cat "$PORT_FILE"))"; return 0; fi
  mkdir -p "$HOME_DIR"
  local t0=$SECONDS
  # Small heap, serial GC, C1 only: a test registry on a shared machine (ready in 4-6 s, ~250 MB RSS).
  nohup java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dquarkus.http.port="$REGISTRY_PORT" -Dquarkus.http.host=127.0.0.1 -Dquarkus.log.level=WARN \
    -jar "$JAR" >"$LOG" 2>&1 </dev/null &
  echo $! >"$PID_FILE"; echo "$REGISTRY_PORT" >"$PORT_FILE"
  while ! curl -fs "http://127.0.0.1:$REGISTRY_PORT/health/ready" >/dev/null 2>&1; do
    running_pid >/dev/null || { tail -30 "$LOG" >&2; die "the registry exited during start-up (log: $LOG)"; }
    [ $((SECONDS - t0)) -lt "$START_TIMEOUT" ] || { tail -30 "$LOG" >&2; stop; die "not ready after ${START_TIMEOUT}s"; }
    sleep 0.3
  done
  log "ready on port $REGISTRY_PORT in $((SECONDS - t0))s (Confluent API: http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7)"
}

stop() {
  local pid; pid=$(running_pid) || { rm -f "$PID_FILE"; return 0; }
  kill "$pid"
  for _ in $(seq 1 100); do running_pid >/dev/null || break; sleep 0.1; done
  running_pid >/dev/null && kill -9 "$pid" || true
  rm -f "$PID_FILE"
  log "stopped"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) if pid=$(running_pid); then echo "running pid $pid port $(cat "$PORT_FILE")"; else echo "stopped"; exit 1; fi ;;
  *) die "usage: $0 start|stop|status|install" ;;
esac
