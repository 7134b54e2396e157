import { card, expect, newUserId, signIn, test, type Api } from "./support/fixtures";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function twoMissedPrompts(api: Api, token: string) {
  await api.missedHabit(token, "Walk");
  await api.missedHabit(token, "Water");
  await api.scanAll();
  await api.waitForPrompt(token, (p) => p.facts.habitName === "Water");
  await api.waitForPrompt(token, (p) => p.facts.habitName === "Walk");
  const all = await api.prompts(token);
  return { walk: all.find((p) => p.facts.habitName === "Walk")!, water: all.find((p) => p.facts.habitName === "Water")! };
}

test.describe("connection life", () => {
  test("answers given offline are kept, then sent once each, in order, with an Idempotency-Key, when back online", async ({ page, context, api }) => {
    const user = newUserId("offline");
    const token = await api.token(user);
    await api.prepareUser(token);
    const { walk, water } = await twoMissedPrompts(api, token);

    await signIn(page, user);
    await expect(card(page, walk.id)).toBeVisible();
    await expect(card(page, water.id)).toBeVisible();
    const responds: { url: string; key: string | null; status: number }[] = [];
    page.on("requestfinished", async (r) => {
      if (r.url().endsWith("/respond")) responds.push({ url: r.url(), key: await r.headerValue("idempotency-key"), status: (await r.response())!.status() });
    });

    await context.setOffline(true);
    await expect(page.locator("#conn")).toHaveAttribute("data-status", "offline");
    await expect(page.locator("#conn")).toHaveText("Offline");

    const skip = walk.quickReplies.find((r) => r.value === "skip_today")!;
    await card(page, walk.id).getByRole("button", { name: skip.text }).click();
    await expect(card(page, walk.id).locator(".pending")).toHaveText(/Saved on this device/);
    const done = water.quickReplies.find((r) => r.value === "complete_now")!;
    await card(page, water.id).getByRole("button", { name: done.text }).click();
    await expect(card(page, water.id).locator(".pending")).toHaveText(/Saved on this device/);

    // Nothing reached the server while offline.
    await page.waitForTimeout(1000);
    expect((await api.prompt(token, walk.id)).state).not.toBe("responded");
    expect((await api.prompt(token, water.id)).state).not.toBe("responded");
    expect(responds).toEqual([]);

    await context.setOffline(false);
    await expect(page.locator("#conn")).toHaveAttribute("data-status", "connected");
    await expect(card(page, walk.id).locator(".answer")).toHaveText(`You answered: ${skip.text}`);
    await expect(card(page, walk.id).locator(".pending")).toHaveCount(0);
    await expect(card(page, water.id).locator(".pending")).toHaveCount(0);

    // The server has each answer once: responded, one follow-up each.
    await expect.poll(async () => (await api.prompt(token, walk.id)).response).toBe("skip_today");
    await expect.poll(async () => (await api.prompt(token, water.id)).response).toBe("complete_now");
    const all = await api.prompts(token);
    expect(all.filter((p) => p.replyTo === walk.id)).toHaveLength(1);
    expect(all.filter((p) => p.replyTo === water.id)).toHaveLength(1);
    // And the page shows each follow-up once.
    for (const f of all.filter((p) => p.replyTo)) await expect(card(page, f.id)).toHaveCount(1);

    // One request per answer, in the order given, each with its own UUID key.
    await expect.poll(() => responds.length).toBe(2);
    await page.waitForTimeout(1500);
    expect(responds.map((r) => r.url.split("/").at(-2))).toEqual([walk.id, water.id]);
    expect(responds.map((r) => r.status)).toEqual([200, 200]);
    expect(responds[0]!.key).toMatch(UUID);
    expect(responds[1]!.key).toMatch(UUID);
    expect(responds[0]!.key).not.toBe(responds[1]!.key);
    // The queue is empty.
    expect(await page.evaluate(() => new Promise<number>((resolve) => {
      const open = indexedDB.open("coach");
      open.onsuccess = () => {
        const get = open.result.transaction("outbox").objectStore("outbox").getAll();
        get.onsuccess = () => resolve((get.result as unknown[][]).reduce((n, items) => n + items.length, 0));
      };
    }))).toBe(0);
  });

  test("an answer whose reply was lost is sent again with the same key; the server's replay (Idempotent-Replayed) counts as sent", async ({ page, api }) => {
    const user = newUserId("replay");
    const token = await api.token(user);
    await api.prepareUser(token);
    await api.missedHabit(token, "Stretch");
    await api.scanAll();
    const prompt = await api.waitForPrompt(token, (p) => p.type === "habit_missed");
    await signIn(page, user);
    await expect(card(page, prompt.id)).toBeVisible();

    // The first attempt reaches the server, but its reply is lost on the way back.
    const attempts: { key: string | undefined; status: number; replayed: string | null; body: unknown }[] = [];
    let lose = true;
    await page.route("**/api/prompts/*/respond", async (route) => {
      const response = await route.fetch();
      attempts.push({
        key: route.request().headers()["idempotency-key"], status: response.status(),
        replayed: response.headers()["idempotent-replayed"] ?? null, body: route.request().postDataJSON(),
      });
      if (lose) {
        lose = false;
        await route.abort("timedout");
      } else {
        await route.fulfill({ response });
      }
    });
    const done = prompt.quickReplies.find((r) => r.value === "complete_now")!;
    await card(page, prompt.id).getByRole("button", { name: done.text }).click();
    await expect(card(page, prompt.id).locator(".pending")).toHaveText(/Saved on this device/);
    await expect.poll(async () => (await api.prompt(token, prompt.id)).response).toBe("complete_now");

    // The next flush (the browser says it is online) sends the same answer under the same key.
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    await expect(card(page, prompt.id).locator(".pending")).toHaveCount(0);
    await expect(card(page, prompt.id).locator(".answer")).toHaveText(`You answered: ${done.text}`);
    await expect(card(page, prompt.id).locator(".error")).toHaveCount(0);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatchObject({ status: 200, replayed: null, body: { value: "complete_now" } });
    expect(attempts[0]!.key).toMatch(UUID);
    expect(attempts[1]).toEqual({ ...attempts[0], replayed: "true" });

    // Answered once: one follow-up on the server, shown once; one completion (a second would be 409).
    const followUps = (await api.prompts(token)).filter((p) => p.replyTo === prompt.id);
    expect(followUps).toHaveLength(1);
    await expect(card(page, followUps[0]!.id)).toHaveCount(1);
    const habits = await api.ok<{ items: { recentCompletions: string[] }[] }>(token, "GET", "/api/habits");
    expect(habits.items[0]!.recentCompletions).toHaveLength(1);
    await page.waitForTimeout(1000);
    expect(attempts).toHaveLength(2);
  });

  test("an answer the server already has from elsewhere (409, no key) leaves the queue, and the card shows the server's answer", async ({ page, context, api }) => {
    const user = newUserId("conflict");
    const token = await api.token(user);
    await api.prepareUser(token);
    await api.missedHabit(token, "Floss");
    await api.scanAll();
    const prompt = await api.waitForPrompt(token, (p) => p.type === "habit_missed");
    await signIn(page, user);
    await expect(card(page, prompt.id)).toBeVisible();

    await context.setOffline(true);
    await expect(page.locator("#conn")).toHaveText("Offline");
    const done = prompt.quickReplies.find((r) => r.value === "complete_now")!;
    await card(page, prompt.id).getByRole("button", { name: done.text }).click();
    await expect(card(page, prompt.id).locator(".pending")).toHaveText(/Saved on this device/);
    // Meanwhile another device answers, without a key.
    await api.ok(token, "POST", `/api/prompts/${prompt.id}/respond`, { value: "skip_today" });
    const skip = prompt.quickReplies.find((r) => r.value === "skip_today")!;

    const refused = page.waitForResponse((r) => r.url().endsWith(`/api/prompts/${prompt.id}/respond`));
    await context.setOffline(false);
    expect((await refused).status()).toBe(409);
    await expect(card(page, prompt.id).locator(".pending")).toHaveCount(0);
    await expect(card(page, prompt.id).locator(".answer")).toHaveText(`You answered: ${skip.text}`);
    expect((await api.prompt(token, prompt.id)).response).toBe("skip_today");
    expect((await api.prompts(token)).filter((p) => p.replyTo === prompt.id)).toHaveLength(1);
  });

  test("a prompt stored while the page was closed appears on the next load, once", async ({ page, api }) => {
    const user = newUserId("closed");
    const token = await api.token(user);
    await api.prepareUser(token);
    await signIn(page, user);

    // Leave the app (same tab: its session stays), let the coach speak, come back. The habit
    // comes after the page has gone, so no scan (an earlier test's included) can find it sooner.
    await page.goto("about:blank");
    await api.missedHabit(token, "Journal");
    await api.scanAll();
    const stored = await api.waitForPrompt(token, (p) => p.type === "habit_missed");
    expect(stored.state).toBe("pending");
    await page.goto("/");
    await expect(card(page, stored.id)).toBeVisible();
    await expect(card(page, stored.id)).toHaveCount(1);
    await expect.poll(async () => (await api.prompt(token, stored.id)).state).toBe("seen");

    // Later pushes and catch-ups (a reconnect, a reload) still show it once.
    await page.reload();
    await expect(card(page, stored.id)).toHaveCount(1);
    await page.waitForTimeout(1500);
    await expect(card(page, stored.id)).toHaveCount(1);
    await expect(page.locator("article.prompt")).toHaveCount(1);
  });

  test("a prompt pushed while offline is caught up once when back online", async ({ page, context, api }) => {
    const user = newUserId("catchup");
    const token = await api.token(user);
    await api.prepareUser(token);
    await signIn(page, user);

    await context.setOffline(true);
    await expect(page.locator("#conn")).toHaveText("Offline");
    await api.missedHabit(token, "Floss");
    await api.scanAll();
    const stored = await api.waitForPrompt(token, (p) => p.type === "habit_missed");
    await page.waitForTimeout(2000);
    // Offline emulation cuts the socket too: the push went nowhere.
    await expect(card(page, stored.id)).toHaveCount(0);
    const catchUp = page.waitForResponse((r) => {
      const url = new URL(r.url());
      return url.pathname === "/api/prompts" && url.searchParams.get("state") === "pending,delivered,seen" && url.searchParams.has("since");
    });
    await context.setOffline(false);
    const items = ((await (await catchUp).json()) as { items: { id: string }[] }).items;
    expect(items.map((i) => i.id)).toContain(stored.id);
    await expect(card(page, stored.id)).toBeVisible();
    await page.waitForTimeout(1500);
    await expect(card(page, stored.id)).toHaveCount(1);
    await expect(page.locator("#conn")).toHaveText("Connected");
    await expect.poll(async () => (await api.prompt(token, stored.id)).state).toBe("seen");
  });

  test("a dropped connection shows Reconnecting…, and on reconnect the catch-up brings what was pushed meanwhile, once", async ({ page, api }) => {
    const user = newUserId("reconnect");
    const token = await api.token(user);
    await api.prepareUser(token);

    // The hub's socket goes through a route the test can cut; while cut, negotiate and every
    // transport fail, as when the service is unreachable.
    let cut = false;
    const sockets: { close(options?: { code?: number; reason?: string }): Promise<void> }[] = [];
    await page.routeWebSocket(/\/client/, (ws) => {
      if (cut) {
        void ws.close({ code: 1011, reason: "unreachable" });
        return;
      }
      ws.connectToServer();
      sockets.push(ws);
    });
    await page.route(/\/api\/negotiate|\/client\//, (route) => (cut ? route.abort() : route.continue()));
    await signIn(page, user);

    cut = true;
    for (const ws of sockets.splice(0)) await ws.close({ code: 1011, reason: "dropped" });
    await expect(page.locator("#conn")).toHaveAttribute("data-status", "reconnecting");
    await expect(page.locator("#conn")).toHaveText("Reconnecting…");
    await api.missedHabit(token, "Cold shower");
    await api.scanAll();
    const stored = await api.waitForPrompt(token, (p) => p.type === "habit_missed");
    await page.waitForTimeout(1000);
    await expect(card(page, stored.id)).toHaveCount(0);

    cut = false;
    await expect(page.locator("#conn")).toHaveAttribute("data-status", "connected", { timeout: 45_000 });
    await expect(card(page, stored.id)).toBeVisible();
    await page.waitForTimeout(1500);
    await expect(card(page, stored.id)).toHaveCount(1);
    await expect.poll(async () => (await api.prompt(token, stored.id)).state).toBe("seen");
  });
});
