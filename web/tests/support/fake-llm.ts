// A fake OpenAI-compatible chat server on loopback, which the test host is configured to use
// (Llm__Provider openai-compatible, Llm__Endpoint http://127.0.0.1:<port>/v1/), so the welcome
// bubble's LLM path runs for real and its requests can be counted:
// - POST /v1/chat/completions for a welcome line (the system message speaks of the welcome bubble):
//   a valid English line as the structured answer {title, message}, numbered by the request
//   ("Line 3: ..."), so a test can tell a new generation from a cached one. For a zh-CN user it
//   fails the server's CJK rule, so the server retries once and falls back to its template.
// - any other chat request (coaching prompts, style distillation): 500, so the server writes
//   those from its templates at once, as it did with no LLM configured.
// - GET /requests: what was asked, {welcome: [{n, page, user}], other: number}.

import { createServer, type Server } from "node:http";

export interface FakeWelcomeRequest {
  /** 1 for the first welcome request this run, and so on. */
  n: number;
  /** The page in the request's facts. */
  page: string | null;
  /** The user message: the facts (habit names included) the line is written from. */
  user: string;
}

export const fakeLine = (n: number) => `Line ${n}: every small step you take today keeps your habits growing.`;

function text(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => (p as { text?: string }).text ?? "").join("");
  return "";
}

export async function startFakeLlm(): Promise<{ url: string; close(): Promise<void> }> {
  const welcome: FakeWelcomeRequest[] = [];
  let other = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.method === "GET" && req.url === "/requests") return json(200, { welcome, other });
      if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) return json(404, { error: { message: "not found", type: "invalid_request_error" } });
      let messages: { role: string; content: unknown }[] = [];
      try {
        messages = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { messages?: typeof messages }).messages ?? [];
      } catch {
        return json(400, { error: { message: "invalid JSON", type: "invalid_request_error" } });
      }
      const system = text(messages.find((m) => m.role === "system")?.content);
      const user = text(messages.find((m) => m.role === "user")?.content);
      if (!system.includes("welcome bubble")) {
        other += 1;
        return json(500, { error: { message: "fake LLM: only welcome lines are answered", type: "server_error" } });
      }
      const n = welcome.length + 1;
      welcome.push({ n, page: /"page":"(\w+)"/.exec(user)?.[1] ?? null, user });
      json(200, {
        id: `chatcmpl-fake-${n}`,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: "fake-model",
        choices: [{ index: 0, message: { role: "assistant", content: JSON.stringify({ title: "Welcome", message: fakeLine(n) }), refusal: null }, finish_reason: "stop", logprobs: null }],
        usage: { prompt_tokens: 120, completion_tokens: 20, total_tokens: 140 },
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
