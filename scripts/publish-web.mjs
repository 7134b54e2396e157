// Finishes a folder of the web client's built files (a copy of web/dist) for the origin it is served
// from, reading the environment scripts/publish.sh documents:
//   config.json               {"apiBaseUrl", "oidc"} for the client (web/src/config.ts)
//   index.html                the CSP meta tag's connect-src gets the API's origin (http(s) and ws(s)),
//                             when API_BASE_URL is on another origin than the page; nothing else changes
//   staticwebapp.config.json  for Azure Static Web Apps: the same CSP as a global header (with the
//                             meta tag's other headers); no navigation fallback: the client routes on
//                             the hash (#/feed) and OIDC returns to "/", so every navigation is a file
// The CSP is rebuilt each time from the one in web/index.html (the source), so running this again on a
// folder, with another API_BASE_URL too, gives the files as if run once. Never adds a wildcard: the API
// is one origin, https unless it is loopback (the local host in the browser tests).
// usage: node scripts/publish-web.mjs DIR
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dir = process.argv[2];
if (!dir) fail("usage: publish-web.mjs DIR");
const env = process.env;
function fail(message) {
  console.error(`publish: ${message}`);
  process.exit(1);
}

// ---- config.json ----
const config = {};
let apiOrigin = null;
if (env.API_BASE_URL) {
  let url;
  try {
    url = new URL(env.API_BASE_URL);
  } catch {
    fail(`API_BASE_URL '${env.API_BASE_URL}' is not an absolute URL`);
  }
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) fail(`API_BASE_URL must be https (http only on loopback): ${env.API_BASE_URL}`);
  if (url.search || url.hash || url.username || url.password || url.hostname.includes("*")) fail(`API_BASE_URL must be a plain origin or base path: ${env.API_BASE_URL}`);
  config.apiBaseUrl = (url.origin + url.pathname).replace(/\/+$/, "");
  apiOrigin = url.origin;
}
if (env.WEB_OIDC_CLIENT_ID) {
  if (!env.AUTH_AUTHORITY) fail("WEB_OIDC_CLIENT_ID is set but AUTH_AUTHORITY is not");
  config.oidc = { authority: env.AUTH_AUTHORITY, clientId: env.WEB_OIDC_CLIENT_ID, scope: env.WEB_OIDC_SCOPE || "openid profile" };
}
writeFileSync(path.join(dir, "config.json"), JSON.stringify(config, null, 2) + "\n");
console.log(`wrote ${path.join(dir, "config.json")}`);

// ---- index.html's CSP ----
const indexFile = path.join(dir, "index.html");
if (!existsSync(indexFile)) {
  console.log(`no ${indexFile}: config.json only`);
  process.exit(0);
}
const html = readFileSync(indexFile, "utf8");
const meta = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/i;
if (!meta.test(html)) fail(`${indexFile} has no Content-Security-Policy meta tag`);
const sourceFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../web/index.html");
const source = readFileSync(sourceFile, "utf8").match(meta);
if (!source) fail(`${sourceFile} has no Content-Security-Policy meta tag`);
const directives = source[2].split(";").map((d) => d.trim()).filter(Boolean).map((d) => d.split(/\s+/));
const connect = directives.find((d) => d[0] === "connect-src");
if (!connect) fail(`${indexFile}: the CSP has no connect-src`);
if (directives.some((d) => d.slice(1).some((s) => s === "*"))) fail(`${indexFile}: the CSP has a '*' source`);
if (apiOrigin) {
  const socket = apiOrigin.replace(/^http/, "ws"); // http -> ws, https -> wss: the SignalR stand-in's WebSocket
  for (const source of [apiOrigin, socket]) if (!connect.includes(source)) connect.push(source);
}
const csp = directives.map((d) => d.join(" ")).join("; ");
writeFileSync(indexFile, html.replace(meta, (_, open, _old, close) => open + csp + close));
console.log(`wrote ${indexFile} (connect-src ${connect.slice(1).join(" ")})`);

// ---- staticwebapp.config.json ----
const referrer = html.match(/<meta\s+name="referrer"\s+content="([^"]*)"/i)?.[1] ?? "no-referrer";
const swa = {
  globalHeaders: {
    "Content-Security-Policy": csp,
    "Referrer-Policy": referrer,
    "X-Content-Type-Options": "nosniff",
  },
};
writeFileSync(path.join(dir, "staticwebapp.config.json"), JSON.stringify(swa, null, 2) + "\n");
console.log(`wrote ${path.join(dir, "staticwebapp.config.json")}`);
