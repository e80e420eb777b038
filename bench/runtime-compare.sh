#!/usr/bin/env bash
# Bare Express 5 on the system's Node vs the project's Node, alternating, same load each time:
# autocannon, 64 connections, 10 s, a 1 KiB JSON POST. Prints req/s per round and runtime.
# Usage: bench/runtime-compare.sh [rounds=2] [seconds=10]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-2}; SECS=${2:-10}
SYSTEM_NODE=${SYSTEM_NODE:-/usr/bin/node}
PROJECT_NODE=$PWD/node_modules/.bin/node
[ -x "$PROJECT_NODE" ] || PROJECT_NODE=$(command -v node)
BODY=$(node_modules/.bin/node -e 'process.stdout.write(JSON.stringify({data:"x".repeat(1000)}))')
PORT=18411

run_one() {
  local node=$1
  "$node" bench/express-hello.mjs $PORT >/dev/null & local pid=$!
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
  local rps
  rps=$("$PROJECT_NODE" node_modules/.bin/autocannon -j -c 64 -d "$SECS" -m POST -H 'content-type=application/json' \
        -b "$BODY" "http://127.0.0.1:$PORT/echo" 2>/dev/null | "$PROJECT_NODE" -e \
        'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);console.log(Math.round(r.requests.average), r.latency.p99, r.non2xx)})')
  kill $pid; wait $pid 2>/dev/null || true
  echo "$rps"
}

echo "round runtime req/s p99_ms non2xx"
for r in $(seq "$ROUNDS"); do
  for node in "$SYSTEM_NODE" "$PROJECT_NODE"; do
    echo "$r $("$node" --version) $(run_one "$node")"
  done
done
