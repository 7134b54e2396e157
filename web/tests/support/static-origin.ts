// A second origin for the cross-origin test: a tiny static file server on loopback that serves a
// folder the way Azure Static Web Apps serves the published client: its files, "/" as index.html,
// staticwebapp.config.json's globalHeaders on every response (and the file itself never served), a
// 404 for anything else (the client needs no navigation fallback: it routes on the hash).

import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
};

export interface StaticOrigin {
  url: string;
  close(): Promise<void>;
}

export function startStaticOrigin(root: string, port: number): Promise<StaticOrigin> {
  const configFile = path.join(root, "staticwebapp.config.json");
  const globalHeaders = existsSync(configFile)
    ? ((JSON.parse(readFileSync(configFile, "utf8")) as { globalHeaders?: Record<string, string> }).globalHeaders ?? {})
    : {};
  const server: Server = createServer((req, res) => {
    for (const [name, value] of Object.entries(globalHeaders)) res.setHeader(name, value);
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = path.resolve(root, "." + (pathname === "/" ? "/index.html" : pathname));
    const inside = file.startsWith(root + path.sep);
    if ((req.method !== "GET" && req.method !== "HEAD") || !inside || path.basename(file) === "staticwebapp.config.json"
      || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(req.method === "GET" || req.method === "HEAD" ? 404 : 405, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve({
      url: `http://127.0.0.1:${port}`,
      close: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done()); }),
    }));
  });
}
