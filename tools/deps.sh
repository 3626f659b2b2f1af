#!/usr/bin/env bash
# Installs what the build, tests and demo need on Debian 12, idempotently.
# Only installs packages that are missing, so a second run does nothing.
set -euo pipefail
need=()
for pkg in kcat librdkafka1 python3-kafka python3-confluent-kafka lua5.4 netcat-openbsd; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "deps: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "deps: the .NET 10 SDK is required (https://dot.net)"; exit 1; }
