#!/usr/bin/env bash
# Builds what Azure runs, under .artifacts/publish/:
#   coachfunctions-api.zip  the function app: `dotnet publish -r linux-x64` of CoachFunctions/ (host.json,
#                           worker.config.json, functions.metadata, the worker's assemblies), zipped at its root:
#                           the package a Flex Consumption app deploys (az functionapp deployment source config-zip).
#   web/ and coachfunctions-web.zip
#                           the web client's files from web/dist (built with npm when web/package.json exists),
#                           with config.json for the deployed API; skipped, with a note, when there is no web/.
#
#   scripts/publish.sh                   both packages
#   scripts/publish.sh --web-config DIR  only writes DIR/config.json (azd's predeploy hook for the web service)
#
# config.json is written from the environment (azd puts its environment and the Bicep outputs there):
#   API_BASE_URL         the function app's https URL (output of infra/main.bicep)
#   AUTH_AUTHORITY       the OpenID Connect issuer users sign in with (output of infra/main.bicep)
#   WEB_OIDC_CLIENT_ID   the web client's app registration (single-page application), set with `azd env set`
#   WEB_OIDC_SCOPE       e.g. "openid profile api://<api-client-id>/user_impersonation"
# Without WEB_OIDC_CLIENT_ID there is no "oidc" section.
set -euo pipefail
caller=$(pwd)
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/.artifacts/publish"

write_web_config() {
  local dir="$1"
  mkdir -p "$dir"
  API_BASE_URL="${API_BASE_URL:-}" AUTH_AUTHORITY="${AUTH_AUTHORITY:-}" \
  WEB_OIDC_CLIENT_ID="${WEB_OIDC_CLIENT_ID:-}" WEB_OIDC_SCOPE="${WEB_OIDC_SCOPE:-openid profile}" \
  node -e '
    const env = process.env;
    const config = {};
    if (env.API_BASE_URL) config.apiBaseUrl = env.API_BASE_URL.replace(/\/+$/, "");
    if (env.WEB_OIDC_CLIENT_ID) {
      if (!env.AUTH_AUTHORITY) { console.error("WEB_OIDC_CLIENT_ID is set but AUTH_AUTHORITY is not"); process.exit(1); }
      config.oidc = { authority: env.AUTH_AUTHORITY, clientId: env.WEB_OIDC_CLIENT_ID, scope: env.WEB_OIDC_SCOPE };
    }
    process.stdout.write(JSON.stringify(config, null, 2) + "\n");
  ' > "$dir/config.json"
  echo "wrote $dir/config.json"
}

zip_folder() { # zip_folder DIR ZIP: the folder's contents at the archive's root
  rm -f "$2"
  if command -v zip >/dev/null; then
    (cd "$1" && zip -q -r -X "$2" .)
  else
    python3 -c 'import shutil,sys; shutil.make_archive(sys.argv[2][:-4], "zip", sys.argv[1])' "$1" "$2"
  fi
}

if [ "${1:-}" = "--web-config" ]; then
  dir="${2:?usage: publish.sh --web-config DIR}"
  case "$dir" in /*) ;; *) dir="$caller/$dir" ;; esac   # relative to where it was called from (azd: web/)
  write_web_config "$dir"
  exit 0
fi

rm -rf "$out" && mkdir -p "$out"

echo "== function app (linux-x64)"
dotnet publish CoachFunctions/CoachFunctions.csproj -c Release -r linux-x64 --self-contained false -o "$out/api" -nologo -v:q
for f in host.json worker.config.json functions.metadata CoachFunctions.dll; do
  [ -f "$out/api/$f" ] || { echo "publish: $f is missing from the package" >&2; exit 1; }
done
zip_folder "$out/api" "$out/coachfunctions-api.zip"
echo "wrote $out/coachfunctions-api.zip ($(du -h "$out/coachfunctions-api.zip" | cut -f1))"

echo "== web client"
if [ ! -d web ]; then
  echo "no web/ folder: no web client package (the function app package is complete without it)"
  exit 0
fi
if [ -f web/package.json ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build)
fi
if [ ! -f web/dist/index.html ]; then
  echo "publish: web/ exists but web/dist/index.html does not (build the web client first)" >&2
  exit 1
fi
cp -R web/dist "$out/web"
write_web_config "$out/web"
zip_folder "$out/web" "$out/coachfunctions-web.zip"
echo "wrote $out/coachfunctions-web.zip"
