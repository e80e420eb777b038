#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft, broker+controller in one JVM) for dev
# and tests, without Docker: the jars come from Maven Central through
# scripts/kafka/pom.xml, because the apache.org tarball is not reachable in CI.
#
# Usage: scripts/kafka.sh start|stop|restart|status|wipe
#        scripts/kafka.sh cluster ...            # a 3-node cluster: see scripts/kafka/cluster.sh
#        scripts/kafka.sh tool CLASS [ARGS...]   # run a Kafka CLI class, e.g.
#          tool org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:9092 --list
# Env: KAFKA_HOME_DIR (default <repo>/.kafka), KAFKA_LIBS_DIR (default
#      <repo>/.kafka/libs, shared by every broker), KAFKA_PORT (9092),
#      KAFKA_CONTROLLER_PORT (9093), KAFKA_NUM_PARTITIONS (3),
#      KAFKA_START_TIMEOUT (seconds, 90), KAFKA_HEAP_OPTS, KAFKA_JVM_OPTS,
#      KAFKA_EXTRA_CONFIG (extra server.properties lines), JAVA_HOME.
# SASL_SSL (optional, see "SASL_SSL listener" below and docs/security.md):
#      KAFKA_SASL_SSL_PORT=<port> adds a SASL_SSL listener (SCRAM-SHA-256,
#      SCRAM-SHA-512 and PLAIN) with a CA and broker certificate made by openssl
#      in <home>/tls (kept across restarts; the CA is <home>/tls/ca.pem);
#      KAFKA_LOCAL_SASL_USER (kgate), KAFKA_LOCAL_SASL_PASSWORD (kgate-secret).
#      KAFKA_SSL_PORT=<port> adds an SSL listener that requires a client
#      certificate (mTLS); one signed by the same CA is made in <home>/tls
#      (client.pem, client.key, and client-encrypted.key with passphrase
#      kgate-client-key).
# OAUTHBEARER (optional, see "OAUTHBEARER listener" below): KAFKA_OAUTH_PORT=<port>
#      adds a SASL_PLAINTEXT listener whose tokens Kafka's own validator checks
#      against KAFKA_OAUTH_JWKS_URL (required), KAFKA_OAUTH_ISSUER and
#      KAFKA_OAUTH_AUDIENCE (optional), KAFKA_OAUTH_REAUTH_MS (10000).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HOME_DIR=${KAFKA_HOME_DIR:-$(dirname "$SCRIPT_DIR")/.kafka}
PORT=${KAFKA_PORT:-9092}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
NUM_PARTITIONS=${KAFKA_NUM_PARTITIONS:-3}
START_TIMEOUT=${KAFKA_START_TIMEOUT:-90}
# Any valid base64 UUID will do; a throwaway one-node cluster needs no uniqueness,
# and a fixed id saves a JVM launch (StorageTool random-uuid) on first start.
CLUSTER_ID=${KAFKA_CLUSTER_ID:-q1Sh-9_ISia_zwGINzRvyQ}
POM=$SCRIPT_DIR/kafka/pom.xml
LIBS=${KAFKA_LIBS_DIR:-$(dirname "$SCRIPT_DIR")/.kafka/libs} DATA=$HOME_DIR/data LOGS=$HOME_DIR/logs
PID_FILE=$HOME_DIR/kafka.pid PROPS=$HOME_DIR/server.properties

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA=$JAVA_HOME/bin/java
else JAVA=$(command -v java || true); fi

log() { echo "kafka: $*"; }
die() { echo "kafka: error: $*" >&2; exit 1; }
now_ms() { local t=${EPOCHREALTIME//[!0-9]/}; echo $((t / 1000)); }  # bash 5
secs() { printf '%d.%ds' $(($1 / 1000)) $(($1 % 1000 / 100)); }
kafka_version() { sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Port of the running instance comes from its config, not from the current env.
running_port() { sed -n 's|^listeners=PLAINTEXT://[^:]*:\([0-9]*\).*|\1|p' "$PROPS" 2>/dev/null; }

# Prints the broker pid if it is alive. Matching the command line guards
# against a stale pid file whose pid was reused, and treats zombies as dead.
running_pid() {
  local pid; pid=$(cat "$PID_FILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && ps -p "$pid" -o args= 2>/dev/null | grep -qF "kafka.Kafka $PROPS" || return 1
  echo "$pid"
}

# Fetch the jars once; the stamp is a checksum of the pom, so bumping the
# pinned version (or any dependency) triggers exactly one re-fetch.
ensure_jars() {
  local stamp t0 tmp=$LIBS.tmp.$$
  stamp=$(cksum <"$POM")
  [ "$(cat "$LIBS/.stamp" 2>/dev/null)" = "$stamp" ] && return 0
  # Several brokers (tests, a cluster) share the jars: one fetch at a time.
  mkdir -p "$(dirname "$LIBS")"
  if command -v flock >/dev/null; then exec 8>"$LIBS.lock"; flock 8; fi
  [ "$(cat "$LIBS/.stamp" 2>/dev/null)" = "$stamp" ] && return 0
  command -v mvn >/dev/null || die "mvn not found (needed once to fetch the Kafka jars)"
  log "fetching Kafka $(kafka_version) jars from Maven Central (one-time)..."
  t0=$(now_ms); rm -rf "$tmp"
  # Into a temp dir first, so an interrupted fetch never looks complete. Output
  # only on failure (Maven 3.8 prints stray ANSI resets even with -q -B).
  mvn -q -B -f "$POM" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$tmp" </dev/null >"$HOME_DIR/mvn.log" 2>&1 ||
    { cat "$HOME_DIR/mvn.log" >&2; rm -rf "$tmp"; die "Maven could not fetch the Kafka jars"; }
  echo "$stamp" >"$tmp/.stamp"
  rm -rf "$LIBS"; mv "$tmp" "$LIBS"
  log "jars ready in $(secs $(($(now_ms) - t0)))"
}

need_java() { [ -n "$JAVA" ] || die "java not found (set JAVA_HOME or put java on PATH; Kafka 4 needs Java 17+)"; }

# Short-lived CLI JVMs: C1 only and serial GC start noticeably faster.
tool() {
  ensure_jars; need_java
  "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$SCRIPT_DIR/kafka/tools-log4j2.properties" \
    -cp "$LIBS/*" "$@"
}

# --- SASL_SSL listener (KAFKA_SASL_SSL_PORT) -------------------------------
# Kept apart from the rest so other listener modes can sit beside it. The
# listener authenticates clients with SCRAM (users stored in the cluster
# metadata, created with Kafka's own tools) or PLAIN (users in the JAAS line).
SASL_SSL_PORT=${KAFKA_SASL_SSL_PORT:-}
SASL_USER=${KAFKA_LOCAL_SASL_USER:-kgate}
SASL_PASSWORD=${KAFKA_LOCAL_SASL_PASSWORD:-kgate-secret}
TLS_DIR=$HOME_DIR/tls
# Protects only the throwaway local keystore file; never a real secret.
KEYSTORE_PASSWORD=kgate-local-keystore

SSL_PORT=${KAFKA_SSL_PORT:-}
CLIENT_KEY_PASSWORD=kgate-client-key

# --- OAUTHBEARER listener (KAFKA_OAUTH_PORT) ---------------------------------
# SASL_PLAINTEXT with OAUTHBEARER, tokens checked by Kafka's own validator
# (OAuthBearerValidatorCallbackHandler) against KAFKA_OAUTH_JWKS_URL, with the
# expected KAFKA_OAUTH_ISSUER and KAFKA_OAUTH_AUDIENCE (both optional). Kafka 4.x
# fetches only URLs listed in the JVM property org.apache.kafka.sasl.oauthbearer.allowed.urls,
# so the JWKS URL is added there. KAFKA_OAUTH_REAUTH_MS (connections.max.reauth.ms
# on this listener, default 10000): a session lasts at most that long or until its
# token's exp, then the client must present a (fresh) token again.
OAUTH_PORT=${KAFKA_OAUTH_PORT:-}
OAUTH_JWKS_URL=${KAFKA_OAUTH_JWKS_URL:-}
OAUTH_REAUTH_MS=${KAFKA_OAUTH_REAUTH_MS:-10000}

sasl_ssl_listener() {
  [ -z "$SASL_SSL_PORT" ] || printf ',SASL_SSL://127.0.0.1:%s' "$SASL_SSL_PORT"
  [ -z "$SSL_PORT" ] || printf ',SSL://127.0.0.1:%s' "$SSL_PORT"
  [ -z "$OAUTH_PORT" ] || printf ',OAUTH://127.0.0.1:%s' "$OAUTH_PORT"
}

oauth_config() {
  [ -n "$OAUTH_PORT" ] || return 0
  cat <<EOF
# OAUTHBEARER listener (KAFKA_OAUTH_PORT), tokens validated against $OAUTH_JWKS_URL.
listener.name.oauth.sasl.enabled.mechanisms=OAUTHBEARER
listener.name.oauth.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required ;
listener.name.oauth.oauthbearer.sasl.server.callback.handler.class=org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler
listener.name.oauth.oauthbearer.connections.max.reauth.ms=$OAUTH_REAUTH_MS
sasl.oauthbearer.jwks.endpoint.url=$OAUTH_JWKS_URL
EOF
  [ -z "${KAFKA_OAUTH_ISSUER:-}" ] || echo "sasl.oauthbearer.expected.issuer=$KAFKA_OAUTH_ISSUER"
  [ -z "${KAFKA_OAUTH_AUDIENCE:-}" ] || echo "sasl.oauthbearer.expected.audience=$KAFKA_OAUTH_AUDIENCE"
}

oauth_jvm_opts() {
  [ -z "$OAUTH_PORT" ] || printf -- '-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=%s' "$OAUTH_JWKS_URL"
}

sasl_ssl_config() {
  [ -z "$SSL_PORT" ] || cat <<EOF
# SSL listener with client certificates (KAFKA_SSL_PORT): mTLS.
listener.name.ssl.ssl.client.auth=required
listener.name.ssl.ssl.keystore.type=PKCS12
listener.name.ssl.ssl.keystore.location=$TLS_DIR/broker.p12
listener.name.ssl.ssl.keystore.password=$KEYSTORE_PASSWORD
listener.name.ssl.ssl.key.password=$KEYSTORE_PASSWORD
listener.name.ssl.ssl.truststore.type=PEM
listener.name.ssl.ssl.truststore.location=$TLS_DIR/ca.pem
EOF
  [ -n "$SASL_SSL_PORT" ] || return 0
  local scram='org.apache.kafka.common.security.scram.ScramLoginModule required;'
  cat <<EOF
# SASL_SSL listener for clients (KAFKA_SASL_SSL_PORT); brokers talk PLAINTEXT.
sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512,PLAIN
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=$scram
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=$scram
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$SASL_USER="$SASL_PASSWORD";
listener.name.sasl_ssl.ssl.keystore.type=PKCS12
listener.name.sasl_ssl.ssl.keystore.location=$TLS_DIR/broker.p12
listener.name.sasl_ssl.ssl.keystore.password=$KEYSTORE_PASSWORD
listener.name.sasl_ssl.ssl.key.password=$KEYSTORE_PASSWORD
EOF
}

# A CA and a broker certificate for 127.0.0.1/localhost, made once per home
# directory, so a client's CA file stays valid across broker restarts.
ensure_tls() {
  [ -n "$SASL_SSL_PORT$SSL_PORT" ] || return 0
  [ -f "$TLS_DIR/broker.p12" ] && [ -f "$TLS_DIR/ca.pem" ] && [ -f "$TLS_DIR/client-encrypted.key" ] && return 0
  command -v openssl >/dev/null || die "openssl not found (needed for KAFKA_SASL_SSL_PORT)"
  mkdir -p "$TLS_DIR"; chmod 700 "$TLS_DIR"
  (
    cd "$TLS_DIR"
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=kgate local CA" \
      -keyout ca.key -out ca.pem
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout broker.key -out broker.csr
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >broker.ext
    openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 \
      -extfile broker.ext -out broker.pem
    openssl pkcs12 -export -name broker -inkey broker.key -in broker.pem -certfile ca.pem \
      -passout "pass:$KEYSTORE_PASSWORD" -out broker.p12.tmp
    mv broker.p12.tmp broker.p12
    # A client certificate for the mTLS listener, its key plain and encrypted (PKCS#8).
    openssl req -newkey rsa:2048 -nodes -subj "/CN=kgate-client" -keyout client.key -out client.csr
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 \
      -extfile client.ext -out client.pem
    openssl pkcs8 -topk8 -v2 aes-256-cbc -in client.key -passout "pass:$CLIENT_KEY_PASSWORD" \
      -out client-encrypted.key
  ) >"$LOGS/tls.log" 2>&1 || { cat "$LOGS/tls.log" >&2; die "making the TLS certificates failed"; }
}

# SCRAM credentials at format time (kafka-storage --add-scram): no extra JVM.
scram_format_args() {
  [ -n "$SASL_SSL_PORT" ] || return 0
  local m
  for m in SCRAM-SHA-256 SCRAM-SHA-512; do
    printf '%s\n' --add-scram "$m=[name=$SASL_USER,password=$SASL_PASSWORD]"
  done
}

# A store formatted before SASL_SSL was switched on gets its users through the
# running broker instead (kafka-configs --alter, idempotent).
ensure_scram_users() {  # $1 = plaintext port
  [ -n "$SASL_SSL_PORT" ] || return 0
  local m
  for m in SCRAM-SHA-256 SCRAM-SHA-512; do
    tool kafka.admin.ConfigCommand --bootstrap-server "127.0.0.1:$1" --alter \
      --add-config "$m=[password=$SASL_PASSWORD]" --entity-type users --entity-name "$SASL_USER" \
      >>"$LOGS/scram.log" 2>&1 || { cat "$LOGS/scram.log" >&2; die "creating the SCRAM user failed"; }
  done
}

sasl_ssl_port_check() {
  [ -z "$SASL_SSL_PORT" ] || ! port_open "$SASL_SSL_PORT" || die "SASL_SSL port $SASL_SSL_PORT is already in use"
  [ -z "$SSL_PORT" ] || ! port_open "$SSL_PORT" || die "SSL port $SSL_PORT is already in use"
  [ -z "$OAUTH_PORT" ] || ! port_open "$OAUTH_PORT" || die "OAUTHBEARER port $OAUTH_PORT is already in use"
  [ -z "$OAUTH_PORT" ] || [ -n "$OAUTH_JWKS_URL" ] || die "KAFKA_OAUTH_PORT needs KAFKA_OAUTH_JWKS_URL"
}

sasl_ssl_report() {
  [ -z "$OAUTH_PORT" ] || log "SASL_PLAINTEXT OAUTHBEARER on 127.0.0.1:$OAUTH_PORT, tokens checked against $OAUTH_JWKS_URL (issuer ${KAFKA_OAUTH_ISSUER:-any}, audience ${KAFKA_OAUTH_AUDIENCE:-any})"
  [ -z "$SSL_PORT" ] || log "SSL (client certificate required) on 127.0.0.1:$SSL_PORT, client certificate $TLS_DIR/client.pem, key $TLS_DIR/client.key"
  [ -n "$SASL_SSL_PORT" ] || return 0
  log "SASL_SSL on 127.0.0.1:$SASL_SSL_PORT (SCRAM-SHA-256/512, PLAIN) user $SASL_USER, CA certificate $TLS_DIR/ca.pem"
}

write_config() {
  cat >"$PROPS" <<EOF
# Generated by scripts/kafka.sh on every start; edits are overwritten.
process.roles=broker,controller
node.id=1
# Static quorum (not --standalone) so KAFKA_CONTROLLER_PORT can change between runs.
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT$(sasl_ssl_listener)
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT$(sasl_ssl_listener)
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL,SSL:SSL,OAUTH:SASL_PLAINTEXT
log.dirs=$DATA
num.partitions=$NUM_PARTITIONS
auto.create.topics.enable=true
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# Internal topics default to 50 partitions; creating them on the first consumer
# group / transaction is slow on a small machine and pointless for one node.
offsets.topic.num.partitions=5
transaction.state.log.num.partitions=5
share.coordinator.state.topic.num.partitions=5
# Fewer threads: the CI machine has 2 cores.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
$(sasl_ssl_config)
$(oauth_config)
${KAFKA_EXTRA_CONFIG:-}
EOF
}

fail_start() {
  echo "kafka: error: $1; last broker log lines:" >&2
  tail -n 40 "$LOGS/server.log" "$LOGS/kafka.out" >&2 2>/dev/null || true
  cmd_stop >&2 || true  # don't leave a half-started broker behind
  exit 1
}

# Port-open alone is not enough (the socket is bound before the broker is
# unfenced and serving), so also require a real metadata request to succeed.
wait_ready() {  # $1 = port
  local deadline=$(($(now_ms) + START_TIMEOUT * 1000)) i
  printf 'request.timeout.ms=5000\ndefault.api.timeout.ms=10000\n' >"$HOME_DIR/probe.properties"
  for ((i = 0; ; i++)); do
    [ "$(now_ms)" -lt "$deadline" ] || fail_start "not ready after ${START_TIMEOUT}s"
    # Give the child a moment to write its pid before declaring it dead.
    if [ "$i" -gt 4 ] && ! running_pid >/dev/null; then fail_start "broker process exited"; fi
    if port_open "$1" && tool org.apache.kafka.tools.TopicCommand --list \
      --bootstrap-server "127.0.0.1:$1" --command-config "$HOME_DIR/probe.properties" \
      >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
}

cmd_start() {
  local t0 pid port scram_later=; t0=$(now_ms)
  if pid=$(running_pid); then
    port=$(running_port)
    if port_open "$port"; then log "already running pid $pid port $port"; return 0; fi
  else
    rm -f "$PID_FILE"
    port_open "$PORT" && die "port $PORT is already in use by another process"
    port_open "$CONTROLLER_PORT" && die "controller port $CONTROLLER_PORT is already in use"
    sasl_ssl_port_check
    ensure_jars; need_java
    mkdir -p "$DATA" "$LOGS"
    ensure_tls
    write_config
    scram_later=1
    if [ ! -f "$DATA/meta.properties" ]; then  # format KRaft storage only once
      local -a scram_args; mapfile -t scram_args < <(scram_format_args)
      tool kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$PROPS" "${scram_args[@]}" \
        >"$LOGS/format.log" 2>&1 || { cat "$LOGS/format.log" >&2; die "storage format failed"; }
      scram_later=
    fi
    # setsid+nohup: own session, so the broker survives the caller and ignores
    # its hangups. The child closes every inherited fd above 2 and all of
    # stdin/stdout/stderr are redirected, so a capturing caller (npm test, CI)
    # is never kept waiting on a pipe. The child writes its own pid before exec.
    # shellcheck disable=SC2016,SC2086
    $(command -v setsid || true) nohup bash -c '
      echo $$ >"$0"
      for fd in /proc/$$/fd/*; do fd=${fd##*/}
        [ "$fd" -gt 2 ] 2>/dev/null && [ "$fd" -lt 255 ] && eval "exec $fd>&-"
      done
      exec "$@"' "$PID_FILE" \
      "$JAVA" ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} -XX:+UseSerialGC \
      -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true ${KAFKA_JVM_OPTS:-} $(oauth_jvm_opts) \
      -Dkafka.logs.dir="$LOGS" -Dlog4j2.configurationFile="$SCRIPT_DIR/kafka/log4j2.properties" \
      -cp "$LIBS/*" kafka.Kafka "$PROPS" \
      </dev/null >>"$LOGS/kafka.out" 2>&1 9>&- &
    port=$PORT
  fi
  wait_ready "$port"
  [ -z "$scram_later" ] || ensure_scram_users "$port"
  sasl_ssl_report
  log "ready on 127.0.0.1:$port pid $(running_pid) (Kafka $(kafka_version)) in $(secs $(($(now_ms) - t0)))"
}

# Wait for the pid itself to vanish, not just its command line: a dying JVM
# loses its cmdline (and its main thread shows as zombie) while other threads
# still hold the sockets. (bash reaps its own children, so no zombie hang.)
wait_gone() {  # $1 = pid, $2 = half-seconds
  local i
  for ((i = 0; i < $2; i++)); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.5; done
  return 1
}

cmd_stop() {
  local pid
  if ! pid=$(running_pid); then rm -f "$PID_FILE"; log "not running"; return 0; fi
  kill -TERM "$pid" 2>/dev/null || true  # graceful: controlled shutdown, clean logs
  if ! wait_gone "$pid" 60; then
    log "pid $pid did not stop within 30s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 20 || die "pid $pid survived SIGKILL"
  fi
  rm -f "$PID_FILE"; log "stopped pid $pid"
}

cmd_status() {
  local pid port
  if pid=$(running_pid) && port=$(running_port) && port_open "$port"; then
    echo "running pid $pid port $port"; return 0
  fi
  echo "not running"; return 1
}

mkdir -p "$HOME_DIR"
case "${1:-}" in
  status) cmd_status; exit ;;
  tool) shift; tool "$@"; exit ;;
  cluster) shift; . "$SCRIPT_DIR/kafka/cluster.sh"; cluster_main "$@"; exit ;;
  start | stop | restart | wipe) ;;
  *) echo "usage: $0 start|stop|restart|status|wipe|cluster ...|tool CLASS [ARGS...]" >&2; exit 2 ;;
esac
# Serialize concurrent start/stop calls (e.g. parallel test runners).
if command -v flock >/dev/null; then exec 9>"$HOME_DIR/.lock"; flock 9; fi
case "$1" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) cmd_stop; cmd_start ;;
  wipe) cmd_stop; rm -rf "$DATA" "$LOGS" "$PROPS" "$HOME_DIR/probe.properties"; log "wiped $DATA and $LOGS (jars kept)" ;;
esac
