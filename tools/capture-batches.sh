#!/usr/bin/env bash
# Regenerates the record batches that kcat (librdkafka) compressed, used by
# tests/Tributary.Protocol.Tests as fixed test data. Needs kcat and librdkafka1 (tools/deps.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/tests/Tributary.Protocol.Tests/TestData}"
dotnet run --project "$root/tools/CaptureBatches" -c Release -- "$out"
