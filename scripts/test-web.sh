#!/usr/bin/env bash
# Runs the web client's browser tests (web/tests/*.spec.ts, Playwright) on Debian's Chromium
# against the real product: builds the app and the local host (Release), installs Chromium with
# apt-get when /usr/bin/chromium is missing (never a downloaded browser), installs Azurite from the
# root package-lock.json and the client's packages from web/package-lock.json, builds web/dist,
# then Playwright's globalSetup starts an in-memory Azurite and the local host on free ports.
# Extra arguments go to `playwright test` (e.g. a spec file, -g "pattern").
# Ends with one line "N passed, N failed, N skipped" for this suite.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

fail() { echo "$1"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

# Debian's Chromium, and fonts for Chinese text and emoji in the screenshots.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
for font in fonts-noto-cjk fonts-noto-color-emoji; do
  dpkg -s "$font" > /dev/null 2>&1 || missing+=("$font")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} with apt-get..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } > /dev/null \
    || [ -x /usr/bin/chromium ] || fail "apt-get could not install chromium"
fi

if [ ! -f node_modules/azurite/dist/src/azurite.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing Azurite from package-lock.json..."
  npm ci --no-audit --no-fund --loglevel=error || fail "npm ci (Azurite) failed"
fi

echo "Building the app and the local host (Release)..."
dotnet build CoachFunctions -c Release --nologo -v quiet > .web-build.log 2>&1 \
  && dotnet build CoachFunctions.LocalHost -c Release --nologo -v quiet >> .web-build.log 2>&1 \
  || { tail -30 .web-build.log; fail "dotnet build failed"; }
rm -f .web-build.log

cd web
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -d node_modules/@playwright/test ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing the web client's packages from web/package-lock.json..."
  npm ci --no-audit --no-fund --loglevel=error || fail "npm ci (web) failed"
fi
npm run --silent typecheck || fail "TypeScript type check failed"
npm run --silent build > /dev/null || fail "vite build failed"

rm -rf test-results/screenshots test-results/results.json
npx playwright test "$@"
status=$?

# Playwright's JSON report: expected = passed, unexpected = failed, flaky counts as passed here.
if [ -f test-results/results.json ]; then
  node -e '
    const s = require(process.argv[1]).stats ?? {};
    const failed = (s.unexpected ?? 0) + ((s.expected ?? 0) + (s.unexpected ?? 0) + (s.flaky ?? 0) + (s.skipped ?? 0) === 0 && process.argv[2] !== "0" ? 1 : 0);
    console.log(`${(s.expected ?? 0) + (s.flaky ?? 0)} passed, ${failed} failed, ${s.skipped ?? 0} skipped`);
  ' "$root/web/test-results/results.json" "$status"
else
  echo "0 passed, 1 failed, 0 skipped"
  [ "$status" -ne 0 ] || status=1
fi
echo "Screenshots: web/test-results/screenshots/"
exit "$status"
