#!/usr/bin/env bash
# Checks infra/ without Azure: restores the bicep CLI from NuGet (infra/tools/Bicep.Tool.csproj, the
# version pinned in Directory.Packages.props), builds and lints infra/main.bicep with no error and no
# warning (infra/bicepconfig.json raises the linter rules to errors; any warning left fails too), and
# checks that main.parameters.json and azure.yaml fit the template. The compiled template is written to
# .artifacts/infra/main.json. Ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
out=.artifacts/infra
mkdir -p "$out"
passed=0; failed=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/     /' <<<"$2"; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

# 1. The bicep CLI, from NuGet.
restore=$(dotnet msbuild infra/tools/Bicep.Tool.csproj -restore -t:BicepPath -nologo -v:m 2>&1)
bicep=$(sed -n 's/^ *BICEP_PATH=//p' <<<"$restore" | tail -1)
if [ -n "$bicep" ] && [ -f "$bicep" ]; then
  chmod +x "$bicep" 2>/dev/null || true
  version=$("$bicep" --version 2>&1)
  expected=$(grep -o 'Azure.Bicep.CommandLine.linux-x64" Version="[^"]*' Directory.Packages.props | sed 's/.*Version="//')
  if grep -q "version $expected " <<<"$version"; then pass "bicep CLI restored from NuGet ($version)"
  else fail "bicep CLI is not the pinned $expected" "$version"; finish; fi
else
  fail "bicep CLI restored from NuGet" "$restore"; finish
fi

# 2, 3. Build and lint: exit code 0 and no diagnostics at all (bicep exits 0 on warnings).
run_clean() { # run_clean NAME COMMAND...
  local name=$1; shift
  local output status
  output=$("$@" 2>&1); status=$?
  if [ "$status" -eq 0 ] && ! grep -qE ': (Error|Warning|Info) ' <<<"$output"; then pass "$name"
  else fail "$name (exit $status)" "$output"; fi
}
run_clean "bicep build infra/main.bicep: no error, no warning" "$bicep" build infra/main.bicep --outfile "$out/main.json"
run_clean "bicep lint infra/main.bicep: no error, no warning" "$bicep" lint infra/main.bicep
run_clean "bicep lint infra/resources.bicep: no error, no warning" "$bicep" lint infra/resources.bicep

# 4, 5. The parameters file and azure.yaml against the compiled template.
if [ -f "$out/main.json" ]; then
  check=$(node - "$out/main.json" infra/main.parameters.json azure.yaml <<'JS'
const fs = require("fs");
const [template, parameters, azureYaml] = process.argv.slice(2).map(f => fs.readFileSync(f, "utf8"));
const t = JSON.parse(template), p = JSON.parse(parameters);
const declared = t.parameters, given = Object.keys(p.parameters);
const problems = [];
for (const name of given) if (!(name in declared)) problems.push(`parameters: '${name}' is not a parameter of main.bicep`);
for (const [name, d] of Object.entries(declared))
  if (!("defaultValue" in d) && !given.includes(name)) problems.push(`parameters: required '${name}' is not given`);
console.log("PARAMS " + (problems.length ? problems.join("; ") : "ok"));
// Every resource tagged azd-service-name in the nested template, and the services azure.yaml deploys.
const tags = new Set();
(function walk(node) {
  if (Array.isArray(node)) return node.forEach(walk);
  if (node && typeof node === "object") {
    // tags: union(tags, { 'azd-service-name': 'api' }) compiles to an expression string.
    if (typeof node.tags === "string") for (const m of node.tags.matchAll(/'azd-service-name', '([^']+)'/g)) tags.add(m[1]);
    if (node.tags && typeof node.tags["azd-service-name"] === "string") tags.add(node.tags["azd-service-name"]);
    Object.values(node).forEach(walk);
  }
})(t);
const services = [];
let inServices = false;
for (const line of azureYaml.split("\n")) {
  if (/^services:\s*$/.test(line)) { inServices = true; continue; }
  if (inServices && /^\S/.test(line)) inServices = false;
  const m = inServices && line.match(/^  ([A-Za-z0-9-]+):\s*$/);
  if (m) services.push(m[1]);
}
const missing = services.filter(s => !tags.has(s)), untagged = [...tags].filter(s => !services.includes(s));
console.log("SERVICES " + (services.length && !missing.length && !untagged.length ? `ok (${services.join(", ")})`
  : `azure.yaml services [${services}] vs tagged resources [${[...tags]}]`));
JS
)
  params=$(sed -n 's/^PARAMS //p' <<<"$check"); services=$(sed -n 's/^SERVICES //p' <<<"$check")
  [ "$params" = ok ] && pass "main.parameters.json gives only main.bicep's parameters, and every required one" || fail "main.parameters.json" "${params:-$check}"
  [[ "$services" == ok* ]] && pass "azure.yaml services match the azd-service-name tags: ${services#ok }" || fail "azure.yaml services" "${services:-$check}"
else
  fail "main.parameters.json and azure.yaml (no compiled template)"
fi

finish
