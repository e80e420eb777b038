#!/usr/bin/env bash
# Starts the gateway. Without KAFKA_BOOTSTRAP_SERVERS it first starts the embedded default:
# a local single-node Kafka broker (scripts/kafka.sh, data in .kafka/). Any setting of
# docs/configuration.md can be given in the environment, e.g. PORT=8002 ./run.sh
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-system-deps.sh
scripts/install-node-deps.sh
PATH="$PWD/node_modules/.bin:$PATH"   # the project's Node 24 when the system's is older
npm run --silent build

if [ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]; then
  scripts/kafka.sh start
  export KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:${KAFKA_PORT:-9092}"
  echo "using the embedded local broker at $KAFKA_BOOTSTRAP_SERVERS (stop it with: scripts/kafka.sh stop)"
else
  echo "using the Kafka cluster at $KAFKA_BOOTSTRAP_SERVERS"
fi
echo "gateway on $(node --version), http://localhost:${PORT:-8001}"
# A young generation of 8 MiB semi-spaces: peak RSS ~140 MiB instead of ~240 at the same CPU (docs/benchmarks.md).
exec node --max-semi-space-size=8 --heap-growing-percent=120 --disable-warning=TimeoutNegativeWarning dist/src/main.js
