#!/usr/bin/env bash
# Confluent's official Python client with its Schema Registry deserializers (PyPI, pinned), in a venv
# of its own (.venv-confluent): the tests decode what kgate wrote with Confluent's code, not ours.
# Skips the install when the venv already has these versions.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=$PWD/.venv-confluent
REQS='confluent-kafka[schemaregistry,avro,json]==2.16.1 protobuf==7.36.2 googleapis-common-protos==1.76.0 grpcio-tools==1.85.1'
stamp=$(echo "$REQS" | cksum)
[ -f "$VENV/.kgate-stamp" ] && [ "$(cat "$VENV/.kgate-stamp")" = "$stamp" ] && exit 0
t0=$SECONDS
echo "python deps: installing $REQS into $VENV"
rm -rf "$VENV"
python3 -m venv "$VENV"
# shellcheck disable=SC2086
"$VENV/bin/pip" install --quiet --disable-pip-version-check $REQS
echo "$stamp" >"$VENV/.kgate-stamp"
echo "python deps: installed in $((SECONDS - t0))s"
