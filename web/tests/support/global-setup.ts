// Starts the real product for the browser tests: an in-memory Azurite on free ports (from the
// repository's own node_modules, as scripts/bench.sh does) and the local host (which starts the
// app's worker) serving web/dist, on a free port, with a fake OpenAI-compatible chat server on
// loopback as its LLM (./fake-llm.ts: it writes welcome lines and refuses everything else, so
// prompts come from the templates). The timer is set to fire once a year so scans happen only
// when a test asks (POST /api/admin/scan). Returns the teardown.
//
// Needs: `dotnet build -c Release` of CoachFunctions and CoachFunctions.LocalHost, `npm ci` at
// the repository root (Azurite) and `npm run build` here (web/dist). scripts/test-web.sh does all three.
// COACH_BASE_URL set beforehand: use that running host instead (nothing is started; the tests
// that count the fake LLM's requests, which need COACH_FAKE_LLM_URL, are skipped).

import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer, Socket } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startFakeLlm } from "./fake-llm";

const here = path.dirname(fileURLToPath(import.meta.url));
const web = path.resolve(here, "../..");
const repo = path.resolve(web, "..");
const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited early (code ${child.exitCode}); see web/test-results/*.log`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not start within ${timeoutMs / 1000} s; see web/test-results/*.log`);
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once("connect", () => { socket.destroy(); resolve(true); });
    socket.once("error", () => resolve(false));
    socket.connect(port, "127.0.0.1");
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => { child.kill("SIGKILL"); }, 15_000);
    child.once("exit", () => { clearTimeout(timer); resolve(); });
    child.kill("SIGTERM");
  });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env.COACH_BASE_URL) return async () => {};

  const app = path.join(repo, "CoachFunctions/bin/Release/net10.0");
  const hostDll = path.join(repo, "CoachFunctions.LocalHost/bin/Release/net10.0/CoachFunctions.LocalHost.dll");
  const azurite = path.join(repo, "node_modules/azurite/dist/src/azurite.js");
  const dist = path.join(web, "dist");
  for (const [file, fix] of [
    [path.join(app, "CoachFunctions.dll"), "dotnet build CoachFunctions -c Release"],
    [hostDll, "dotnet build CoachFunctions.LocalHost -c Release"],
    [azurite, "npm ci (repository root)"],
    [path.join(dist, "index.html"), "npm run build (in web/)"],
  ] as const) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run ${fix}, or bash scripts/test-web.sh`);
  }

  const logs = path.join(web, "test-results");
  mkdirSync(logs, { recursive: true });
  const [blob, queue, table, front] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);

  const azuriteProcess = spawn(process.execPath, [
    azurite, "--inMemoryPersistence", "--disableTelemetry", "--silent", "--skipApiVersionCheck", "--loose",
    "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
    "--blobPort", String(blob), "--queuePort", String(queue), "--tablePort", String(table),
  ], { stdio: ["ignore", "pipe", "pipe"] });
  const azuriteLog = createWriteStream(path.join(logs, "azurite.log"));
  azuriteProcess.stdout!.pipe(azuriteLog);
  azuriteProcess.stderr!.pipe(azuriteLog);
  await waitFor("Azurite", async () => (await tcpOpen(table)) && (await tcpOpen(queue)), azuriteProcess, 60_000);

  const connection = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_KEY};`
    + `BlobEndpoint=http://127.0.0.1:${blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:${queue}/devstoreaccount1;`
    + `TableEndpoint=http://127.0.0.1:${table}/devstoreaccount1;`;
  const llm = await startFakeLlm();
  const settings = path.join(logs, "local.settings.json");
  writeFileSync(settings, JSON.stringify({
    IsEncrypted: false,
    Values: {
      AzureWebJobsStorage: connection,
      // Once a year (1 January, 00:00 UTC): scans run when a test asks for one.
      ScanSchedule: "0 0 0 1 1 *",
      // Many answers and feedback in a minute from one test user are fine here.
      RateLimits__RespondPerMinute: "1000",
      RateLimits__FeedbackPerMinute: "1000",
      Stats__FlushIntervalSeconds: "2",
      // The fake chat server (./fake-llm.ts), no key.
      Llm__Provider: "openai-compatible",
      Llm__Endpoint: `${llm.url}/v1/`,
      Llm__Model: "fake-model",
    },
  }, null, 2));

  const host = spawn("dotnet", [hostDll, "--app", app, "--port", String(front), "--settings", settings, "--web", dist], {
    cwd: repo,
    env: { ...process.env, AZURE_FUNCTIONS_ENVIRONMENT: "Development", DOTNET_NOLOGO: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const hostLog = createWriteStream(path.join(logs, "host.log"));
  host.stdout!.pipe(hostLog);
  host.stderr!.pipe(hostLog);

  const base = `http://localhost:${front}`;
  try {
    await waitFor("The local host", async () => (await fetch(`${base}/api/health`)).ok, host, 120_000);
  } catch (error) {
    await stop(host);
    await stop(azuriteProcess);
    await llm.close();
    throw error;
  }
  process.env.COACH_BASE_URL = base;
  process.env.COACH_FAKE_LLM_URL = llm.url;
  console.log(`[web tests] local host on ${base} (Azurite tables :${table}, queues :${queue}, fake LLM ${llm.url})`);

  return async () => {
    await stop(host);
    await stop(azuriteProcess);
    await llm.close();
  };
}
