#!/usr/bin/env bash
# System packages the project needs beyond Node, Java and Maven, from Debian:
#   build-essential python3  node-gyp compiles node-rdkafka's bundled librdkafka
#   libssl-dev zlib1g-dev    TLS and gzip support inside librdkafka
#   kcat                     an independent Kafka client the tests read records back with
#   prometheus               for promtool: the tests check /metrics, the alert rules and the dashboard queries
#                            (22 MB download, ~330 MB installed; no service is started without systemd)
#   chromium                 headless browser: the tests open /docs (Swagger UI renders the operations) and /live (puppeteer-core)
#   python3-venv             scripts/schemathesis.sh installs schemathesis (PyPI) into a venv of its own
# Installs only what is missing; needs root (or sudo) when something is. Extra package names given as
# arguments are installed too (scripts/container-test.sh adds podman and the tools of its stand-in image).
set -euo pipefail

PACKAGES=(build-essential python3 libssl-dev zlib1g-dev kcat prometheus chromium python3-venv)
PACKAGES+=(openssl)  # the openssl CLI: scripts/kafka.sh makes the certificates of its SASL_SSL/SSL listeners
PACKAGES+=("$@")
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { echo "system packages: all present"; exit 0; }

SUDO=
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "need root to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
