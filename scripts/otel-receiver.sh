#!/usr/bin/env bash
# The real OTLP receiver the tracing tests read spans back from: Jaeger v2 (an OpenTelemetry Collector
# distribution with in-memory storage and Jaeger's query API), built from the Go module proxy at a pinned
# release through test/otlp-receiver/go.mod (a `tool` requirement: `go install mod@ver` refuses Jaeger,
# whose go.mod has replace directives). The build is slow (minutes), so the binary is cached under
# ~/.cache/kgate/jaeger-<version>/ and reused; a cold build says so and how long it took.
#
#   scripts/otel-receiver.sh build   builds if needed; prints the binary's path as its last line
#   scripts/otel-receiver.sh path    prints the path the binary has (or will have)
set -euo pipefail
cd "$(dirname "$0")/.."

JAEGER_VERSION=v1.75.0
MODULE_DIR="$PWD/test/otlp-receiver"
CACHE_DIR="${KGATE_CACHE_DIR:-$HOME/.cache/kgate}/jaeger-$JAEGER_VERSION"
BIN="$CACHE_DIR/jaeger"

build() {
  if [ -x "$BIN" ]; then
    echo "otel-receiver: Jaeger $JAEGER_VERSION cached at $BIN (warm)" >&2
    echo "$BIN"
    return
  fi
  command -v go >/dev/null || { echo "otel-receiver: the Go toolchain is needed to build Jaeger (scripts/install-system-deps.sh)" >&2; exit 1; }
  grep -q "github.com/jaegertracing/jaeger $JAEGER_VERSION" "$MODULE_DIR/go.mod" || {
    echo "otel-receiver: $MODULE_DIR/go.mod does not pin Jaeger $JAEGER_VERSION" >&2
    exit 1
  }
  mkdir -p "$CACHE_DIR"
  # One build at a time (parallel test runs share the cache); a second caller waits and then finds it.
  exec 9>"$CACHE_DIR.lock"
  flock 9
  if [ ! -x "$BIN" ]; then
    echo "otel-receiver: cold build of Jaeger $JAEGER_VERSION from the Go module proxy (several minutes on 2 cores)..." >&2
    local started
    started=$(date +%s)
    (cd "$MODULE_DIR" && go build -trimpath -o "$BIN.tmp" github.com/jaegertracing/jaeger/cmd/jaeger)
    mv "$BIN.tmp" "$BIN"
    echo "otel-receiver: cold build took $(( $(date +%s) - started )) s; cached at $BIN" >&2
  else
    echo "otel-receiver: Jaeger $JAEGER_VERSION cached at $BIN (built by another run)" >&2
  fi
  echo "$BIN"
}

case "${1:-build}" in
  build) build ;;
  path) echo "$BIN" ;;
  *) echo "usage: $0 build|path" >&2; exit 2 ;;
esac
