#!/usr/bin/env bash
# Runs `tributary <subcommand> args...` for the Kafka-compatible CLI wrappers beside this script
# (kafka-topics.sh, kafka-configs.sh, kafka-acls.sh), so KAFKA_PATH=<repo>/tools/kafka-cli works
# wherever Kafka's own bin/ directory is expected.
# Which tributary: $TRIBUTARY_BIN if set (a path, or a command such as "dotnet /x/tributary.dll"),
# else the build under ${TRIBUTARY_ARTIFACTS:-<repo>/artifacts}/bin/Tributary.Server (release, then
# debug); if neither exists it is built once (Release), with the build's output on stderr.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
if [ -n "${TRIBUTARY_BIN:-}" ]; then
  # Word splitting is intended: TRIBUTARY_BIN may be "dotnet /path/tributary.dll".
  # shellcheck disable=SC2086
  exec $TRIBUTARY_BIN "$@"
fi
out="${TRIBUTARY_ARTIFACTS:-$root/artifacts}/bin/Tributary.Server"
for config in release debug; do
  if [ -x "$out/$config/tributary" ]; then
    exec "$out/$config/tributary" "$@"
  fi
done
echo "tributary is not built yet; building it (Release) ..." >&2
dotnet build "$root/broker-image/src/Tributary.Server" -c Release --verbosity quiet -nologo >&2
exec "$out/release/tributary" "$@"
