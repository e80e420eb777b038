#!/usr/bin/env bash
# The tools of the deployment checks, installed once and cached under ~/.cache/kgate/:
#   helm                 built from the Go module proxy (helm.sh/helm/v4, pinned below) with the machine's Go;
#                        Debian has no helm package. A cold build prints that it runs and how long it took.
#   servicemonitor-check deploy/tools/servicemonitor-check: the Prometheus Operator's ServiceMonitor type (Go module
#                        proxy) decoding the chart's ServiceMonitor strictly; cached by a hash of its sources.
#   podman-compose, check-jsonschema, kubernetes-validate
#                        from PyPI, pinned in deploy/tools-requirements.txt, in a venv named after that file's hash.
# Prints, on stdout, the lines HELM=<path>, SM_CHECK=<path> and DEPLOY_VENV=<path> for the caller to eval; logs go to stderr.
# Env: KGATE_CACHE (~/.cache/kgate).
set -euo pipefail
cd "$(dirname "$0")/.."
HELM_VERSION=v4.3.2
CACHE=${KGATE_CACHE:-$HOME/.cache/kgate}
log() { echo "deploy-tools: $*" >&2; }
die() { echo "deploy-tools: error: $*" >&2; exit 1; }
mkdir -p "$CACHE"

helm_dir=$CACHE/helm-$HELM_VERSION
if [ ! -x "$helm_dir/helm" ]; then
  exec 8>"$helm_dir.lock"; flock 8
  if [ ! -x "$helm_dir/helm" ]; then
    command -v go >/dev/null || die "go not found: helm is built from the Go module proxy (helm.sh/helm/v4@$HELM_VERSION)"
    log "COLD BUILD: helm $HELM_VERSION from the Go module proxy (a few minutes)..."
    t0=$(date +%s)
    rm -rf "$helm_dir.tmp"
    GOBIN=$helm_dir.tmp CGO_ENABLED=0 GOFLAGS=-trimpath go install "helm.sh/helm/v4/cmd/helm@$HELM_VERSION" >"$CACHE/helm-build.log" 2>&1 ||
      { tail -20 "$CACHE/helm-build.log" >&2; die "go install of helm failed"; }
    rm -rf "$helm_dir"; mv "$helm_dir.tmp" "$helm_dir"
    log "helm $HELM_VERSION built in $(( $(date +%s) - t0 ))s"
  fi
fi

sm_src=deploy/tools/servicemonitor-check
sm_check=$CACHE/servicemonitor-check-$(cat "$sm_src"/go.mod "$sm_src"/go.sum "$sm_src"/*.go | sha256sum | cut -c1-12)
if [ ! -x "$sm_check" ]; then
  command -v go >/dev/null || die "go not found: $sm_src is built from the Go module proxy"
  log "COLD BUILD: $sm_src (Go module proxy)..."
  t0=$(date +%s)
  (cd "$sm_src" && CGO_ENABLED=0 go build -trimpath -o "$sm_check.tmp" .) >&2 || die "go build of $sm_src failed"
  mv "$sm_check.tmp" "$sm_check"
  log "servicemonitor-check built in $(( $(date +%s) - t0 ))s"
fi

requirements=deploy/tools-requirements.txt
venv=$CACHE/venv-deploy-$(sha256sum "$requirements" | cut -c1-12)
# .complete marks a venv whose install finished (an interrupted one is made anew).
if [ ! -f "$venv/.complete" ]; then
  exec 7>"$venv.lock"; flock 7
  if [ ! -f "$venv/.complete" ]; then
    log "COLD INSTALL from PyPI into $venv: $(grep -v '^#' "$requirements" | tr '\n' ' ')"
    t0=$(date +%s)
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
    touch "$venv/.complete"
    log "venv ready in $(( $(date +%s) - t0 ))s"
  fi
fi
echo "HELM=$helm_dir/helm"
echo "SM_CHECK=$sm_check"
echo "DEPLOY_VENV=$venv"
