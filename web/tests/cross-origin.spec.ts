// The deployment's shape: the published client (scripts/publish.sh --web, as it ships) served from a
// second origin, the API, negotiate and the hub on the local host's own, which allows that origin by
// Host.CORS only. Sign-in, the prompt list and a live push must work across the two origins with the
// published CSP, and the fixtures' guard fails the test on any CSP violation or CORS error.

import { card, expect, newUserId, test } from "./support/fixtures";

const webOrigin = process.env.COACH_WEB_ORIGIN;

function cspSources(csp: string, directive: string): string[] {
  const found = csp.split(";").map((d) => d.trim().split(/\s+/)).find((d) => d[0] === directive);
  return found ? found.slice(1) : [];
}

test.describe("served from another origin (as on Azure Static Web Apps)", () => {
  test.skip(!webOrigin, "globalSetup did not start the second origin (COACH_BASE_URL was given)");

  test("sign-in, the prompt list and a live push reach the API on its own origin, within the published CSP", async ({ page, api, baseURL, guard }) => {
    const apiOrigin = new URL(baseURL!).origin;
    const web = webOrigin!;
    expect(new URL(web).origin).not.toBe(apiOrigin);

    const requests: string[] = [];
    const sockets: string[] = [];
    page.on("request", (r) => requests.push(`${r.method()} ${r.url()}`));
    page.on("websocket", (ws) => sockets.push(ws.url()));
    const promptList = page.waitForResponse((r) => r.url().startsWith(`${apiOrigin}/api/prompts?`) && r.request().method() === "GET");

    const user = newUserId("xorigin");
    const token = await api.token(user);
    await api.prepareUser(token);

    const response = await page.goto(`${web}/`);
    expect(response!.status()).toBe(200);
    expect(new URL(page.url()).origin).toBe(web);

    // The CSP that shipped: the meta tag and the Static Web Apps header are the same policy, with the
    // API's origin (and its WebSocket form) added to connect-src and no wildcard source.
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
    expect(meta).toBeTruthy();
    expect(response!.headers()["content-security-policy"]).toBe(meta);
    const connect = cspSources(meta!, "connect-src");
    expect(connect).toEqual(expect.arrayContaining(["'self'", apiOrigin, apiOrigin.replace(/^http/, "ws")]));
    expect(meta!.split(/[\s;]+/)).not.toContain("*");
    const config = await (await page.request.get(`${web}/config.json`)).json();
    expect(config).toEqual({ apiBaseUrl: apiOrigin });

    await page.getByLabel("User id").fill(user);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Your coach" })).toBeVisible();
    await expect(page.locator("#conn")).toHaveAttribute("data-status", "connected");

    // The prompt list came from the API's origin, readable by this page because of CORS for it only.
    const list = await promptList;
    expect(list.status()).toBe(200);
    expect(list.headers()["access-control-allow-origin"]).toBe(web);
    expect(list.headers()["access-control-allow-credentials"]).toBeUndefined();
    await expect(page.getByText("Nothing from your coach yet.")).toBeVisible();

    // A live push: generated on the server, shown without a reload.
    await page.evaluate(() => { (window as unknown as { __sameDocument: boolean }).__sameDocument = true; });
    await api.generate(user, "weekly_review");
    const stored = await api.waitForPrompt(token, (p) => p.type === "weekly_review");
    await expect(card(page, stored.id)).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await expect.poll(async () => (await api.prompt(token, stored.id)).state).toBe("seen");

    // Every API call went to the API's origin, none to the page's; the hub socket too.
    const apiCalls = requests.filter((r) => r.includes("/api/"));
    for (const call of ["POST /api/dev/token", "GET /api/prompts?", "POST /api/negotiate", "POST /api/prompts/"]) {
      expect(apiCalls.some((r) => r.startsWith(`${call.split(" ")[0]} ${apiOrigin}${call.split(" ")[1]}`)), `${call} on ${apiOrigin}: ${apiCalls.join("\n")}`).toBe(true);
    }
    expect(apiCalls.filter((r) => r.includes(`${web}/api/`))).toEqual([]);
    expect(sockets.length).toBeGreaterThan(0);
    for (const socket of sockets) expect(new URL(socket).origin.replace(/^ws/, "http")).toBe(apiOrigin);

    // The CSP still refuses any other origin: a connection elsewhere is blocked (the one violation allowed).
    guard.allow.push(/connect-src http:\/\/127\.0\.0\.1:9\b/, /127\.0\.0\.1:9\/.*Content Security Policy|Content Security Policy.*127\.0\.0\.1:9\b/);
    const blocked = await page.evaluate(() => fetch("http://127.0.0.1:9/elsewhere").then(() => "sent", () => "refused"));
    expect(blocked).toBe("refused");
    await expect.poll(() => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toContainEqual(expect.stringContaining("connect-src http://127.0.0.1:9"));
  });
});
