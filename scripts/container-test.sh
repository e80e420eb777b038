#!/usr/bin/env bash
# The container, built and run as users run it (docs/deploy.md "Container test"):
#  1. installs podman, runc, mmdebstrap and uidmap from Debian when missing;
#  2. builds (once, cached) the local stand-in for node:24-slim (scripts/container/stand-in-base.sh);
#  3. builds the project's Dockerfile as it is, with --pull=never, and requires the image < 400 MB;
#  4. starts a test broker (scripts/kafka.sh, free ports, its own KAFKA_HOME_DIR);
#  5. runs the image with --network host, as uid 1000, --read-only (a tmpfs on /tmp), all capabilities
#     dropped; waits for /health 200; produces a record and reads it back with kcat;
#  6. sends SIGTERM and requires exit code 0 within SHUTDOWN_TIMEOUT_MS.
# Prints the image size, the time from `podman run` to /health 200 and the drain time.
# When podman cannot run here it fails naming the reason: it never skips.
# podman's settings come from scripts/container/containers.conf (CONTAINERS_CONF), not /etc/containers.
# Env: KGATE_IMAGE (localhost/kgate:test), KGATE_CONTAINER_SHUTDOWN_MS (12000: the budget the test gives the
#      gateway; the smallest SHUTDOWN_TIMEOUT_MS its start-up check allows with PRODUCE_DEADLINE_MS=8000).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
IMAGE=${KGATE_IMAGE:-localhost/kgate:test}
MAX_IMAGE_BYTES=$((400 * 1000 * 1000))
SHUTDOWN_MS=${KGATE_CONTAINER_SHUTDOWN_MS:-12000}
export CONTAINERS_CONF=$ROOT/scripts/container/containers.conf
log() { echo "container-test: $*"; }
fail() { echo "container-test: FAILED: $*" >&2; exit 1; }
now_ms() { local t=${EPOCHREALTIME//[!0-9]/}; echo $((t / 1000)); }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
t_start=$(now_ms)

scripts/install-system-deps.sh podman runc mmdebstrap uidmap fuse-overlayfs slirp4netns
# Podman must really run here; if it cannot, this check fails loudly (never a silent skip).
podman info --format '{{.Host.OCIRuntime.Name}} {{.Store.GraphDriverName}}' >/tmp/kgate-podman-info.$$ 2>&1 ||
  { cat /tmp/kgate-podman-info.$$ >&2; rm -f /tmp/kgate-podman-info.$$; fail "podman cannot run on this machine (podman info failed above)"; }
log "podman $(podman --version | awk '{print $3}'), runtime/storage: $(cat /tmp/kgate-podman-info.$$)"
rm -f /tmp/kgate-podman-info.$$

scripts/container/stand-in-base.sh

# The Dockerfile as it is; FROM node:24-slim resolves to the stand-in (no registry is reached: --pull=never).
t0=$(now_ms)
podman build --pull=never --network host --layers -t "$IMAGE" . >"$ROOT/.container-build.log" 2>&1 ||
  { tail -40 "$ROOT/.container-build.log" >&2; fail "podman build failed (whole log: .container-build.log)"; }
build_ms=$(( $(now_ms) - t0 ))
size=$(podman image inspect "$IMAGE" --format '{{.Size}}')
log "image $IMAGE built in $((build_ms / 1000))s ($(grep -c 'Using cache' "$ROOT/.container-build.log" || true) cached steps); size $((size / 1000000)) MB"
[ "$size" -lt "$MAX_IMAGE_BYTES" ] || fail "image is $((size / 1000000)) MB, over the 400 MB bound"

# What the final stage must not carry: compilers, headers, dev dependencies, tests.
leftovers=$(podman run --rm --pull=never --network none --entrypoint sh "$IMAGE" -c \
  'for f in /usr/bin/gcc /usr/bin/g++ /usr/bin/make /usr/bin/python3 /usr/include/openssl /app/node_modules/typescript \
     /app/node_modules/mocha /app/node_modules/node-rdkafka/deps /app/test /app/examples /app/dist/test; do [ -e "$f" ] && echo "$f"; done; true')
[ -z "$leftovers" ] || fail "the final image carries build leftovers: $(echo $leftovers)"
log "no compilers, headers, dev dependencies or tests in the image"

container=kgate-container-test-$$
broker_home=$ROOT/.kafka/container-test
cleanup() {
  podman rm -f --time 0 "$container" >/dev/null 2>&1 || true
  KAFKA_HOME_DIR=$broker_home scripts/kafka.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
kafka_port=$(free_port)
KAFKA_HOME_DIR=$broker_home KAFKA_PORT=$kafka_port KAFKA_CONTROLLER_PORT=$(free_port) scripts/kafka.sh start
bootstrap=127.0.0.1:$kafka_port

# A topic schema mounted as one file beside the image's own, as the Helm chart mounts its ConfigMap (subPath).
topic=container-test-$(date +%s)-$$
schema_dir=$(mktemp -d); chmod 755 "$schema_dir"
trap 'cleanup; rm -rf "$schema_dir"' EXIT
cat >"$schema_dir/schema.json" <<JSON
{"\$schema": "https://json-schema.org/draft/2020-12/schema", "\$id": "/$topic/1.0.0", "type": "object",
 "required": ["marker"], "properties": {"marker": {"type": "string"}}}
JSON
chmod 644 "$schema_dir/schema.json"

port=$(free_port)
url=http://127.0.0.1:$port
t0=$(now_ms)
podman run -d --name "$container" --network host --user 1000:1000 --read-only --tmpfs /tmp:rw,size=16m,mode=1777 \
  --cap-drop ALL --security-opt no-new-privileges -v "$schema_dir/schema.json:/app/schemas/$topic/1.0.0.json:ro" \
  -e PORT="$port" -e HOST=127.0.0.1 -e KAFKA_BOOTSTRAP_SERVERS="$bootstrap" -e SOURCE_NAME=kgate-container-test \
  -e PRODUCE_DEADLINE_MS=8000 -e SHUTDOWN_TIMEOUT_MS="$SHUTDOWN_MS" "$IMAGE" >/dev/null
health_ms=
for _ in $(seq 1 600); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health" || true)" = 200 ]; then health_ms=$(( $(now_ms) - t0 )); break; fi
  [ "$(podman inspect "$container" --format '{{.State.Running}}')" = true ] ||
    { podman logs "$container" >&2; fail "the container exited before /health answered 200"; }
  sleep 0.1
done
[ -n "$health_ms" ] || { podman logs "$container" | tail -20 >&2; fail "no /health 200 within 60 s"; }
log "/health 200 after $health_ms ms (from podman run)"

# Who runs it, and that the root file system is read-only.
uid=$(podman exec "$container" node -p 'process.getuid()')
[ "$uid" = 1000 ] || fail "the gateway runs as uid $uid, expected 1000"
if podman exec "$container" node -e 'require("fs").writeFileSync("/app/probe", "x")' 2>/dev/null; then
  fail "the root file system is writable"
fi
log "runs as uid $uid; root file system read-only"

# The mounted schema is in force: a message without "marker" is refused before Kafka.
bad=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url/produce" -H 'Content-Type: application/json' \
  -d "{\"topic\":\"$topic\",\"message\":{\"other\":1}}")
[ "$bad" = 400 ] || fail "a message breaking the mounted schema got $bad, expected 400"
log "the schema mounted at /app/schemas/$topic/1.0.0.json is in force (400 for a message that breaks it)"

# A produce answered 200, then the same record read back from the broker by kcat.
marker=container-test-$RANDOM$RANDOM
answer=$(curl -s -w '\n%{http_code}' -X POST "$url/produce" -H 'Content-Type: application/json' \
  -d "{\"topic\":\"$topic\",\"key\":\"k1\",\"message\":{\"marker\":\"$marker\"}}")
[ "$(tail -1 <<<"$answer")" = 200 ] || fail "POST /produce answered: $answer"
read_back=$(kcat -C -b "$bootstrap" -t "$topic" -o beginning -c 1 -e -q -m 15 -f '%k %s\n' 2>&1 || true)
grep -q "^k1 .*\"$marker\"" <<<"$read_back" || fail "kcat did not read the record back: $read_back"
log "produce 200 and read back by kcat ($topic)"

# SIGTERM: the gateway drains and exits 0 within its budget.
t0=$(now_ms)
podman kill --signal TERM "$container" >/dev/null
code=$(timeout $(( SHUTDOWN_MS / 1000 + 5 )) podman wait "$container" || echo timeout)
drain_ms=$(( $(now_ms) - t0 ))
[ "$code" = 0 ] || { podman logs "$container" | tail -20 >&2; fail "after SIGTERM: exit code $code (expected 0)"; }
[ "$drain_ms" -le "$SHUTDOWN_MS" ] || fail "after SIGTERM: exited after $drain_ms ms, over SHUTDOWN_TIMEOUT_MS=$SHUTDOWN_MS"
podman logs "$container" 2>&1 | grep -q '"level":"error"' && { podman logs "$container" | grep '"level":"error"' >&2; fail "the gateway logged errors"; }
log "SIGTERM: exit 0 after $drain_ms ms (budget $SHUTDOWN_MS ms)"

log "summary: image $((size / 1000000)) MB, build $((build_ms / 1000))s, /health 200 after ${health_ms} ms, drain ${drain_ms} ms, whole check $(( ($(now_ms) - t_start) / 1000 ))s"
