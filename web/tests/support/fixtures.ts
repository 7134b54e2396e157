// Fixtures for the browser tests: the host's address, an API client for seeding and checking
// (the server is the judge: what the page shows is checked against what the API has stored), a
// fresh user per test, and a guard that fails any test whose page threw, logged an error, broke
// the CSP or opened a dialog.

import { expect, test as base, type Page } from "@playwright/test";
import type { FakeWelcomeRequest } from "./fake-llm";

export const ZONE = "Asia/Shanghai";

/** yyyy-MM-dd in a zone, `offsetDays` from today there. */
export function dayIn(zone: string, offsetDays = 0): string {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
}

export interface PromptView {
  id: string;
  type: string;
  title: string;
  message: string;
  state: string;
  replyTo?: string;
  response?: string;
  quickReplies: { text: string; value: string }[];
  facts: Record<string, unknown>;
  deliveredAt?: string;
  seenAt?: string;
}

export class Api {
  constructor(readonly base: string) {}

  async token(userId: string, admin = false): Promise<string> {
    const r = await fetch(`${this.base}/api/dev/token`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId, roles: admin ? ["admin"] : [] }),
    });
    expect(r.status, "dev token").toBe(200);
    return ((await r.json()) as { accessToken: string }).accessToken;
  }

  async call<T = unknown>(token: string, method: string, route: string, body?: unknown): Promise<{ status: number; data: T }> {
    const r = await fetch(`${this.base}${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, data: (text ? JSON.parse(text) : null) as T };
  }

  async ok<T = unknown>(token: string, method: string, route: string, body?: unknown): Promise<T> {
    const { status, data } = await this.call<T>(token, method, route, body);
    expect(status, `${method} ${route}: ${JSON.stringify(data)}`).toBeLessThan(300);
    return data;
  }

  /** A coachable user: the given zone, no quiet hours, room for many prompts, the types the tests use. */
  async prepareUser(token: string, extra: Record<string, unknown> = {}): Promise<void> {
    await this.ok(token, "PUT", "/api/preferences", {
      timeZone: ZONE, locale: "en", quietHours: { enabled: false }, maxPerDay: 20, maxPerHour: 10, minIntervalMinutes: 0,
      enabledTypes: ["habit_missed", "milestone_reached", "weekly_review"], ...extra,
    });
  }

  /** A daily habit started `daysAgo` days ago in the user's zone, never done: missed since. */
  async missedHabit(token: string, name: string, daysAgo = 3): Promise<{ id: string; name: string }> {
    return this.ok(token, "POST", "/api/habits", { name, startDate: dayIn(ZONE, -daysAgo) });
  }

  async scanAll(): Promise<void> {
    await this.ok(await this.adminToken(), "POST", "/api/admin/scan", { all: true });
  }

  async generate(userId: string, type: string, facts?: Record<string, unknown>): Promise<void> {
    await this.ok(await this.adminToken(), "POST", "/api/admin/prompts/generate", { userId, type, facts });
  }

  private admin: string | null = null;
  async adminToken(): Promise<string> {
    this.admin ??= await this.token("web-tests-admin", true);
    return this.admin;
  }

  async prompts(token: string): Promise<PromptView[]> {
    const page = await this.ok<{ items: PromptView[] }>(token, "GET", "/api/prompts?limit=100");
    return page.items;
  }

  async prompt(token: string, id: string): Promise<PromptView> {
    return this.ok<PromptView>(token, "GET", `/api/prompts/${id}`);
  }

  /** Waits until the user has a prompt that matches (stored by the server), and returns it. */
  async waitForPrompt(token: string, match: (p: PromptView) => boolean, timeoutMs = 30_000): Promise<PromptView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await this.prompts(token)).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error("no such prompt was stored in time");
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

/**
 * The welcome requests the fake LLM (./fake-llm.ts) received whose facts contain `marker` (a
 * habit name unique to the test's user), optionally for one page only.
 */
export async function welcomeRequests(marker: string, page?: string): Promise<FakeWelcomeRequest[]> {
  const url = process.env.COACH_FAKE_LLM_URL;
  if (!url) throw new Error("COACH_FAKE_LLM_URL is not set: globalSetup did not start the fake LLM");
  const { welcome } = (await (await fetch(`${url}/requests`)).json()) as { welcome: FakeWelcomeRequest[] };
  return welcome.filter((r) => r.user.includes(marker) && (page === undefined || r.page === page));
}

let counter = 0;
/** A user id unique to this run and test. */
export function newUserId(tag: string): string {
  counter += 1;
  return `w-${tag}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}`.slice(0, 64);
}

/** Signs in through the page's form and waits for the feed and a live connection. */
export async function signIn(page: Page, userId: string, admin = false): Promise<void> {
  await page.goto("/");
  await page.getByLabel("User id").fill(userId);
  if (admin) await page.getByLabel("Sign in with the admin role").check();
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your coach" })).toBeVisible();
  await expect(page.locator("#conn")).toHaveAttribute("data-status", "connected");
}

export function card(page: Page, promptId: string) {
  return page.locator(`article[data-prompt-id="${promptId}"]`);
}

interface Guard {
  problems: string[];
  /** Problems a test provokes on purpose (matched against the message). */
  allow: RegExp[];
}

export const test = base.extend<{ api: Api; guard: Guard }>({
  baseURL: async ({}, use) => {
    const url = process.env.COACH_BASE_URL;
    if (!url) throw new Error("COACH_BASE_URL is not set: globalSetup did not start the host");
    await use(url);
  },
  api: async ({ baseURL }, use) => {
    await use(new Api(baseURL!));
  },
  guard: [async ({ page }, use) => {
    const guard: Guard = { problems: [], allow: [] };
    await page.addInitScript(() => {
      (window as unknown as { __csp: string[] }).__csp = [];
      document.addEventListener("securitypolicyviolation", (e) => {
        (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    page.on("pageerror", (e) => guard.problems.push(`page error: ${e.message}`));
    page.on("dialog", (d) => {
      guard.problems.push(`dialog opened: ${d.type()} ${d.message()}`);
      void d.dismiss();
    });
    page.on("console", (m) => {
      const text = m.text();
      if (m.type() === "error" && !expectedConsoleError(text)) guard.problems.push(`console error: ${text}`);
      if (/Content Security Policy|Trusted Type/i.test(text)) guard.problems.push(`CSP: ${text}`);
    });
    await use(guard);
    const csp = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []).catch(() => []);
    const problems = [...guard.problems, ...csp.map((c) => `CSP violation: ${c}`)].filter((p) => !guard.allow.some((a) => a.test(p)));
    expect(problems, "page errors, dialogs and CSP violations").toEqual([]);
  }, { auto: true }],
});

/**
 * Console errors that are the browser's own reports of failures the app handles: failed loads
 * while offline, and answers the server refuses on purpose (409, 400 in a test).
 */
function expectedConsoleError(text: string): boolean {
  return /Failed to load resource|net::ERR_INTERNET_DISCONNECTED|ERR_NAME_NOT_RESOLVED|WebSocket connection to .* failed|\[live\]/.test(text);
}

export { expect };
