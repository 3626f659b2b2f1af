#!/usr/bin/env bash
# Runs every test project and prints one closing line "N passed, N failed, N skipped".
# dotnet test prints one "Passed!/Failed!  - Failed: F, Passed: P, Skipped: S, ..." line per
# project (and the failing tests with their messages); the totals are summed from those lines.
set -uo pipefail
log=$(mktemp)
dotnet test Operator.sln --no-restore --no-build -c "${CONFIGURATION:-Release}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=0; failed=0; skipped=0; projects=0
while read -r line; do
  f=$(sed -n 's/.*Failed: *\([0-9]*\),.*/\1/p' <<<"$line"); p=$(sed -n 's/.*Passed: *\([0-9]*\),.*/\1/p' <<<"$line"); s=$(sed -n 's/.*Skipped: *\([0-9]*\),.*/\1/p' <<<"$line")
  failed=$((failed + ${f:-0})); passed=$((passed + ${p:-0})); skipped=$((skipped + ${s:-0})); projects=$((projects + 1))
done < <(grep -E "(Passed|Failed)! +- +Failed: " "$log")
echo "test projects: $projects"
echo "tests: $passed passed, $failed failed, $skipped skipped"
# CI shows only the end of the output, so the failing tests and their messages are repeated here
# (a failure's own block, with its test output, can be thousands of lines further up).
if [ "$failed" -ne 0 ]; then
  echo "failed tests:"
  awk '/^  Failed .+ \[[^]]+\]$/ { print; grab = 1; n = 0; next }
       grab && /^  (Stack Trace|Standard Output Messages):/ { grab = 0; next }
       grab && n < 6 { print "    " substr($0, 1, 400); n++ }' "$log"
fi
rm -f "$log"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
