#!/usr/bin/env bash
# Runs every test: installs Azurite from package-lock.json, builds, and runs the xunit suites (the
# tests start their own Azurite on free ports and their own app hosts on loopback), then the web
# client's browser tests (scripts/test-web.sh: Chromium from apt-get, Playwright), after the Bicep
# check (scripts/check-infra.sh).
# Ends with one line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund --loglevel=error || { echo "npm ci failed"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

mkdir -p .artifacts
log=.artifacts/test-output.txt
dotnet test CoachFunctions.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet test prints one summary per test project: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
sum() { grep -Eo "$1: +[0-9]+" "$log" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # a build or runner failure is a failure

# The Bicep in infra/: built and linted by the bicep CLI from NuGet, no warning allowed.
infra_log=.artifacts/infra-check-output.txt
bash scripts/check-infra.sh 2>&1 | tee "$infra_log"
infra_status=${PIPESTATUS[0]}
infra_line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$infra_log" | tail -1)
[ -n "$infra_line" ] || infra_line="0 passed, 1 failed"
read -r infra_passed infra_failed < <(echo "$infra_line" | grep -Eo '[0-9]+' | tr '\n' ' ')
passed=$((passed + infra_passed)); failed=$((failed + infra_failed))
if [ "$infra_status" -ne 0 ] && [ "$infra_failed" -eq 0 ]; then failed=$((failed + 1)); fi
[ "$infra_status" -eq 0 ] || status=$infra_status

# The web client's browser tests (Playwright on Debian's Chromium), counted in the same line.
web_log=.artifacts/web-test-output.txt
bash scripts/test-web.sh 2>&1 | tee "$web_log"
web_status=${PIPESTATUS[0]}
web_line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$web_log" | tail -1)
[ -n "$web_line" ] || web_line="0 passed, 1 failed, 0 skipped"
read -r web_passed web_failed web_skipped < <(echo "$web_line" | grep -Eo '[0-9]+' | tr '\n' ' ')
passed=$((passed + web_passed)); failed=$((failed + web_failed)); skipped=$((skipped + ${web_skipped:-0}))
if [ "$web_status" -ne 0 ] && [ "$web_failed" -eq 0 ]; then failed=$((failed + 1)); fi
[ "$web_status" -eq 0 ] || status=$web_status
# Repeat each failed test with its message and first stack lines at the very end, where CI's tail shows it.
if grep -qE '^ +Failed [A-Za-z]' "$log"; then
  echo "---- failed tests ----"
  grep -E -A12 '^ +Failed [A-Za-z]' "$log" | grep -vE '^ +(Passed|Skipped) ' | cut -c1-400
  echo "----------------------"
fi
if [ "$web_status" -ne 0 ]; then
  echo "---- browser tests: the end of their output ----"
  grep -vE '^\s*$' "$web_log" | tail -60 | cut -c1-400
  echo "------------------------------------------------"
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
