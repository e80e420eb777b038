#!/usr/bin/env bash
# docker-compose.yml, checked without starting it (its Kafka, Prometheus and Grafana images cannot be pulled on
# machines without a container registry; docs/deploy.md "Compose"):
#  - `podman-compose config` (PyPI podman-compose) parses and normalises it, pulling and creating nothing;
#  - check-jsonschema validates it against the compose-spec JSON Schema it bundles (vendor.compose-spec);
#  - the same schema refuses a copy with a misspelt key, so the check is known to bite.
# Tools: scripts/deploy-tools.sh (a cached venv).
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "compose-check: $*"; }
fail() { echo "compose-check: FAILED: $*" >&2; exit 1; }
eval "$(scripts/deploy-tools.sh)"
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

"$DEPLOY_VENV/bin/podman-compose" -f docker-compose.yml config >"$out/config.yml" 2>"$out/config.log" ||
  { cat "$out/config.log" >&2; fail "podman-compose config refused docker-compose.yml"; }
services=$(sed -n 's/^  \([a-z][a-z0-9_-]*\):$/\1/p' "$out/config.yml" | sort | paste -sd' ' -)
[ "$services" = "gateway grafana kafka prometheus" ] || fail "podman-compose config saw services: $services"
log "podman-compose $("$DEPLOY_VENV/bin/pip" show podman-compose 2>/dev/null | sed -n 's/^Version: //p') config: ok ($services)"

"$DEPLOY_VENV/bin/check-jsonschema" --builtin-schema vendor.compose-spec docker-compose.yml >"$out/schema.log" 2>&1 ||
  { cat "$out/schema.log" >&2; fail "docker-compose.yml does not match the compose-spec schema"; }
sed 's/stop_grace_period:/stop_grace_perod:/' docker-compose.yml >"$out/misspelt.yml"
if "$DEPLOY_VENV/bin/check-jsonschema" --builtin-schema vendor.compose-spec "$out/misspelt.yml" >/dev/null 2>&1; then
  fail "the compose-spec schema accepted a misspelt key: the check does not bite"
fi
log "compose-spec schema (check-jsonschema $("$DEPLOY_VENV/bin/check-jsonschema" --version | awk '{print $NF}')): ok; a misspelt key is refused"
