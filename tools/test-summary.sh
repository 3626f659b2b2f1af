#!/usr/bin/env bash
# Runs every test project and prints one closing line "N passed, N failed[, N skipped]".
set -uo pipefail
log=$(mktemp)
dotnet test Operator.sln --no-restore -c "${CONFIGURATION:-Release}" --logger "console;verbosity=normal" 2>&1 | tee "$log" | grep -E "^\s*(Failed|Passed!|Failed!|Skipped)|error|Total tests|Results File" || true
status=${PIPESTATUS[0]}
passed=0; failed=0; skipped=0
while read -r line; do
  f=$(sed -n 's/.*Failed: *\([0-9]*\).*/\1/p' <<<"$line"); p=$(sed -n 's/.*Passed: *\([0-9]*\).*/\1/p' <<<"$line"); s=$(sed -n 's/.*Skipped: *\([0-9]*\).*/\1/p' <<<"$line")
  failed=$((failed + ${f:-0})); passed=$((passed + ${p:-0})); skipped=$((skipped + ${s:-0}))
done < <(grep -E "(Passed|Failed)! +- +Failed:" "$log")
rm -f "$log"
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
