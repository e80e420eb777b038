#!/usr/bin/env bash
# Property-based API tests: schemathesis (PyPI, pinned) generates requests from GET /openapi.json
# and checks every answer: no 5xx, and status, content type, headers and body as the document says.
# Starts its own broker (free ports, .kafka/schemathesis) unless SCHEMATHESIS_BOOTSTRAP names one.
# Runs once per mode, each against its own built gateway (dist/) on a free port:
#   open  ./run.sh's defaults: no keys, nothing limited;
#   auth  AUTH_KEYS_FILE with one key (topics "*"), sent by schemathesis with -H "Authorization: Bearer ...";
#         the document then lists the security schemes, 401 and 429, and the ignored_auth check also
#         sends each request without the key and with a wrong one, expecting 401;
#   jwt   AUTH_JWT_ISSUER of the test OIDC issuer (test/helpers/oidc-issuer-main.ts, discovery + JWKS over
#         HTTP on a free port) and a token of it sent with -H "Authorization: Bearer <jwt>"; ignored_auth as for auth.
# Exits non-zero on any failure in any mode.
#
# Env: SCHEMATHESIS_MODES ("open auth jwt"), SCHEMATHESIS_BOOTSTRAP (host:port of a running broker to use),
#      SCHEMATHESIS_MAX_EXAMPLES (12 per mode), SCHEMATHESIS_CHECKS (comma-separated; the list below by default),
#      SCHEMATHESIS_SEED (1: the same cases every run; set another to explore), SCHEMATHESIS_WORKERS (1:
#      with 2 threads CPython 3.11 failed once with "AST constructor recursion depth mismatch" inside the generator).
# Reports (NDJSON of every request and check, JUnit) go to .schemathesis/<mode>/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VERSION=4.32.5
VENV=$ROOT/.venv-schemathesis
OUT=$ROOT/.schemathesis
# negative_data_rejection is left out on purpose: /produce/batch judges each item on its own (207), so an
# invalid item inside a valid array is, by design, not a 4xx for the whole request.
CHECKS=${SCHEMATHESIS_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,missing_required_header,unsupported_method,allow_header_conformance}

# Streams schemathesis cannot test: the SSE endpoints answer a stream that does not end (it would
# wait for --request-timeout), and GET /live redirects to a static page (301, then the page's 200
# under another path). GET /ws is fuzzed: without the WebSocket handshake it answers 426.
STREAMING_OPERATIONS='^(followSubmission|tailTopic|livePage)$'

log() { echo "schemathesis: $*"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

if [ "$("$VENV/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $VERSION" ]; then
  log "installing schemathesis $VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION"
fi
[ -f dist/src/main.js ] || { log "building (dist/ is missing)"; node_modules/.bin/tsc -p tsconfig.json; }

gateway_pid= broker_home= issuer_pid=
cleanup() {
  [ -n "$gateway_pid" ] && kill "$gateway_pid" 2>/dev/null && wait "$gateway_pid" 2>/dev/null || true
  [ -n "$issuer_pid" ] && kill "$issuer_pid" 2>/dev/null && wait "$issuer_pid" 2>/dev/null || true
  [ -n "$broker_home" ] && KAFKA_HOME_DIR=$broker_home scripts/kafka.sh stop >/dev/null || true
}
trap cleanup EXIT

bootstrap=${SCHEMATHESIS_BOOTSTRAP:-}
if [ -z "$bootstrap" ]; then
  broker_home=$ROOT/.kafka/schemathesis
  port=$(free_port)
  KAFKA_HOME_DIR=$broker_home KAFKA_PORT=$port KAFKA_CONTROLLER_PORT=$(free_port) scripts/kafka.sh start
  bootstrap=127.0.0.1:$port
fi

# Node 24 from node_modules when the system's is older (scripts/install-node-deps.sh).
node=node; [ -x node_modules/.bin/node ] && node=node_modules/.bin/node

# One gateway with the extra settings given as arguments (VAR=value ...), until its /ready answers 200.
start_gateway() {
  local log=$1; shift
  http_port=$(free_port)
  url=http://127.0.0.1:$http_port
  env PORT="$http_port" HOST=127.0.0.1 KAFKA_BOOTSTRAP_SERVERS="$bootstrap" LOG_LEVEL=warn ACCESS_LOG=false "$@" \
    "$node" dist/src/main.js >"$log" 2>&1 &
  gateway_pid=$!
  for _ in $(seq 1 120); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/ready" || true)" = 200 ] && return 0
    kill -0 "$gateway_pid" 2>/dev/null || { cat "$log" >&2; log "gateway exited"; exit 1; }
    sleep 0.5
  done
  log "gateway did not get ready"; exit 1
}

stop_gateway() {
  kill "$gateway_pid" 2>/dev/null && wait "$gateway_pid" 2>/dev/null || true
  gateway_pid=
}

status=0
for mode in ${SCHEMATHESIS_MODES:-open auth jwt}; do
  dir=$OUT/$mode
  mkdir -p "$dir"
  rm -f "$dir"/*.ndjson "$dir"/*.xml
  settings=() extra=() checks=$CHECKS
  case $mode in
    open) ;;
    auth)
      key=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
      digest=$(printf '%s' "$key" | sha256sum | cut -d' ' -f1)
      printf '[{"name": "schemathesis", "key_sha256": "%s", "topics": ["*"]}]\n' "$digest" >"$dir/keys.json"
      settings=(AUTH_KEYS_FILE="$dir/keys.json")
      extra=(-H "Authorization: Bearer $key")
      [ -z "${SCHEMATHESIS_CHECKS:-}" ] && checks=$CHECKS,ignored_auth
      ;;
    jwt)
      # The issuer's first line is its address and a token; it serves the JWKS until this script ends.
      exec {issuer_fd}< <(AUDIENCE=kgate-schemathesis "$node" --import tsx test/helpers/oidc-issuer-main.ts & echo "pid $!"; wait)
      read -r -u "$issuer_fd" _ issuer_pid
      read -r -u "$issuer_fd" issuer_line
      issuer_url=$(printf '%s' "$issuer_line" | python3 -c 'import json,sys; print(json.load(sys.stdin)["issuer"])')
      token=$(printf '%s' "$issuer_line" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
      settings=(AUTH_JWT_ISSUER="$issuer_url" AUTH_JWT_AUDIENCE=kgate-schemathesis)
      extra=(-H "Authorization: Bearer $token")
      [ -z "${SCHEMATHESIS_CHECKS:-}" ] && checks=$CHECKS,ignored_auth
      ;;
    *) log "unknown mode $mode (open, auth, jwt)"; exit 2 ;;
  esac
  start_gateway "$dir/gateway.log" "${settings[@]}"
  log "mode $mode: gateway $url (broker $bootstrap)"
  mode_status=0
  "$VENV/bin/schemathesis" run "$url/openapi.json" \
    "${extra[@]}" \
    --checks "$checks" \
    --phases examples,coverage,fuzzing \
    --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-12}" \
    --seed "${SCHEMATHESIS_SEED:-1}" \
    --workers "${SCHEMATHESIS_WORKERS:-1}" \
    --request-timeout 30 \
    --exclude-operation-id-regex "$STREAMING_OPERATIONS" \
    --report ndjson,junit --report-dir "$dir" || mode_status=$?
  stop_gateway
  [ "$mode_status" = 0 ] || status=$mode_status
  printf 'mode %s: ' "$mode"
  "$VENV/bin/python" scripts/schemathesis-summary.py "$dir"/*.ndjson
done
exit $status
