#!/usr/bin/env bash
# The Helm chart (deploy/helm/kgate), checked offline (docs/deploy.md "Checks"):
#  - values.schema.json's env part is in step with src/config/schema.ts, the dashboard copy with docs/grafana/;
#  - `helm lint --strict` and `helm template` with three value sets (deploy/helm/kgate/ci/: defaults; keys +
#    SASL_SSL/mTLS + HPA + schemas; ServiceMonitor + dashboard); every rendered object validated by
#    kubernetes-validate --strict against Kubernetes $K8S_VERSION (the ServiceMonitor, a CRD it lacks, by
#    deploy/tools/servicemonitor-check), then scripts/chart/check-rendered.py (probes, drain, hardening,
#    each set's own objects);
#  - bad values are refused by `helm template` (schema and template checks);
#  - deploy/kubernetes/kgate.yaml is the default rendering (`--write` rewrites it).
# Tools: scripts/deploy-tools.sh (helm from the Go module proxy, the PyPI tools in a cached venv).
set -euo pipefail
cd "$(dirname "$0")/.."
K8S_VERSION=1.37.0
CHART=deploy/helm/kgate
RENDERED=deploy/kubernetes/kgate.yaml
log() { echo "chart-test: $*"; }
fail() { echo "chart-test: FAILED: $*" >&2; exit 1; }
t0=$(date +%s)

eval "$(scripts/deploy-tools.sh)"
PATH="$PWD/node_modules/.bin:$PATH"
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

# The default rendering for kubectl users, with a header that says where it comes from.
render_default() {
  echo "# Generated from deploy/helm/kgate with its default values by scripts/chart-test.sh --write: edit the chart, not this file."
  echo "# kubectl apply -f deploy/kubernetes/kgate.yaml   (then set KAFKA_BOOTSTRAP_SERVERS; docs/deploy.md)"
  "$HELM" template kgate "$CHART" --namespace default --kube-version "$K8S_VERSION"
}
if [ "${1:-}" = --write ]; then
  tsx scripts/chart/env-schema.ts
  cp docs/grafana/kgate-dashboard.json "$CHART/files/kgate-dashboard.json"
  mkdir -p "$(dirname "$RENDERED")"; render_default >"$RENDERED"
  log "wrote $RENDERED"; exit 0
fi

tsx scripts/chart/env-schema.ts --check || fail "values.schema.json (run: scripts/chart-test.sh --write)"
cmp -s docs/grafana/kgate-dashboard.json "$CHART/files/kgate-dashboard.json" ||
  fail "$CHART/files/kgate-dashboard.json differs from docs/grafana/kgate-dashboard.json (run: scripts/chart-test.sh --write)"

for set in default secured monitoring; do
  values=$CHART/ci/$set-values.yaml
  "$HELM" lint --strict "$CHART" -f "$values" >"$out/lint.log" 2>&1 || { cat "$out/lint.log" >&2; fail "helm lint --strict ($set)"; }
  "$HELM" template kgate "$CHART" -f "$values" --kube-version "$K8S_VERSION" >"$out/$set.yaml" 2>"$out/template.log" ||
    { cat "$out/template.log" >&2; fail "helm template ($set)"; }
  "$DEPLOY_VENV/bin/kubernetes-validate" --strict -k "$K8S_VERSION" "$out/$set.yaml" >"$out/validate.log" 2>&1 ||
    { cat "$out/validate.log" >&2; fail "kubernetes-validate --strict -k $K8S_VERSION ($set)"; }
  # kubernetes-validate bundles no CRDs: only the Prometheus Operator's ServiceMonitor may go unchecked by it.
  if grep -v 'kind ServiceMonitor with api version monitoring.coreos.com/v1' "$out/validate.log" | grep -qE '^(WARN|ERROR)'; then
    cat "$out/validate.log" >&2; fail "kubernetes-validate warned ($set)"
  fi
  objects=$(grep -c '^INFO .* passed for resource' "$out/validate.log" || true)
  # The ServiceMonitor instead: decoded strictly into the Prometheus Operator's own Go type.
  if grep -q '^kind: ServiceMonitor' "$out/$set.yaml"; then
    "$SM_CHECK" <"$out/$set.yaml" >"$out/sm.log" 2>&1 || { cat "$out/sm.log" >&2; fail "ServiceMonitor ($set)"; }
    grep -q ' 1 ServiceMonitor' "$out/sm.log" || { cat "$out/sm.log" >&2; fail "ServiceMonitor not checked ($set)"; }
    objects=$((objects + 1))
  fi
  "$DEPLOY_VENV/bin/python" scripts/chart/check-rendered.py "$set" "$out/$set.yaml" >/dev/null || fail "rendered objects ($set)"
  log "$set: lint --strict ok, $objects objects valid for Kubernetes $K8S_VERSION (strict), checks pass"
done

# Bad values must be refused before anything reaches a cluster, and for the reason named.
refused=0
refuse() {
  local why=$1 expect=$2; shift 2
  if "$HELM" template kgate "$CHART" "$@" >/dev/null 2>"$out/refused.log"; then fail "accepted a bad value: $why ($*)"; fi
  grep -qF -- "$expect" "$out/refused.log" || { cat "$out/refused.log" >&2; fail "refused $why, but not for the reason expected ($expect)"; }
  refused=$((refused + 1))
}
refuse "port out of range"            "/env/PORT"                      --set env.PORT=70000
refuse "unknown log level"            "/env/LOG_LEVEL"                 --set env.LOG_LEVEL=loud
refuse "misspelt setting"             "'KAFKA_BOOTSTRAP_SERVER' not allowed" --set env.KAFKA_BOOTSTRAP_SERVER=kafka:9092
refuse "bootstrap without a port"     "/env/KAFKA_BOOTSTRAP_SERVERS"   --set env.KAFKA_BOOTSTRAP_SERVERS=kafka
refuse "not a boolean"                "/env/ACCESS_LOG"                --set env.ACCESS_LOG=maybe
refuse "grace shorter than the drain" "SIGKILL would cut the drain"    --set terminationGracePeriodSeconds=10
refuse "SASL without a mechanism"     "kafka.sasl.mechanism is required" --set kafka.securityProtocol=sasl_ssl --set kafka.sasl.existingSecret=x
refuse "unknown security protocol"    "/kafka/securityProtocol"        --set kafka.securityProtocol=tls
refuse "keys on, no keys"             "/auth/clients"                  --set auth.enabled=true
refuse "a client without a key"       "missing property 'key_sha256'"  --set auth.enabled=true --set 'auth.clients[0].name=a' --set 'auth.clients[0].topics[0]=t'
refuse "chart-owned variable in env"  "env.AUTH_KEYS_FILE is set by the chart" --set env.AUTH_KEYS_FILE=/x
refuse "schema version not semver"    "'v1' does not match pattern"    --set-json 'schemas={"orders":{"v1":{"$id":"/orders/v1"}}}'
refuse "root user"                    "/podSecurityContext/runAsUser"  --set podSecurityContext.runAsUser=0
log "$refused bad value sets refused"

diff -u "$RENDERED" <(render_default) >"$out/rendered.diff" ||
  { head -40 "$out/rendered.diff" >&2; fail "$RENDERED is out of step with the chart (run: scripts/chart-test.sh --write)"; }
log "$RENDERED is in step with the chart"
log "passed in $(( $(date +%s) - t0 ))s"
