#!/usr/bin/env bash
# Runs the whole product on this machine: Azurite (data under .azurite/, ignored by git) and the
# local host (CoachFunctions.LocalHost: it starts the app's worker and provides its triggers, the
# SignalR Service stand-in, the HTTP front door and the web client from web/dist, built here) on
# http://localhost:7071.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing Azurite from package-lock.json..."
  npm ci --no-audit --no-fund --loglevel=error
fi

mkdir -p .azurite
if ! (exec 3<>/dev/tcp/127.0.0.1/10001) 2>/dev/null; then
  echo "Starting Azurite (queues :10001, tables :10002, data in .azurite/)..."
  node_modules/.bin/azurite --location .azurite --silent --skipApiVersionCheck --disableTelemetry --loose \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 > .azurite/azurite.log 2>&1 &
  azurite_pid=$!
  trap 'kill $azurite_pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null && break; sleep 0.1; done
else
  echo "Azurite is already running on :10001; using it."
fi

# Settings: ./local.settings.json when there is one (see local.settings.sample.json), otherwise local
# defaults. The local host generates the user-token signing key and the SignalR stand-in's key.
settings=local.settings.json
if [ ! -f "$settings" ]; then
  settings=.azurite/local.settings.json
  printf '{ "Values": { "AzureWebJobsStorage": "UseDevelopmentStorage=true", "ScanSchedule": "0 */5 * * * *" } }\n' > "$settings"
fi
export AZURE_FUNCTIONS_ENVIRONMENT="${AZURE_FUNCTIONS_ENVIRONMENT:-Development}"
dotnet build CoachFunctions -c Release --nologo -v quiet

# The web client (web/): built into web/dist, which the local host serves at '/'.
if [ ! -d web/node_modules/vite ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  echo "Installing the web client's packages from web/package-lock.json..."
  (cd web && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
(cd web && npm run --silent build > /dev/null)
echo "CoachFunctions: http://localhost:7071  (health: http://localhost:7071/api/health, Ctrl+C stops)"
dotnet run --project CoachFunctions.LocalHost -c Release --no-launch-profile -- --app "$PWD/CoachFunctions/bin/Release/net10.0" --settings "$PWD/$settings" --web "$PWD/web/dist" "$@"
