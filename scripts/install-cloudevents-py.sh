#!/usr/bin/env bash
# The PyPI CloudEvents SDK (pinned), in a venv of its own (.venv-cloudevents): the CloudEvents
# integration tests hand it the records kcat read back from Kafka, so an SDK nobody here wrote
# decides whether they are CloudEvents in the Kafka protocol binding (binary and structured mode).
# Installs only when the venv is missing or holds another version; prints how long a cold install took.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=2.2.0
VENV=$PWD/.venv-cloudevents
have=$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("cloudevents"))' 2>/dev/null || true)
[ "$have" = "$VERSION" ] && exit 0
echo "cloudevents (PyPI): installing $VERSION into $VENV"
start=$(date +%s)
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "cloudevents==$VERSION"
echo "cloudevents (PyPI): installed in $(( $(date +%s) - start ))s"
