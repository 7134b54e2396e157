// The welcome bubble against the real POST /api/welcome, whose LLM is the fake chat server of
// global-setup (./support/fake-llm.ts): what was generated is checked on that server's request
// count. Each user has a habit with a name unique to the test in the facts, so only its own
// requests are counted.

import type { Page, Response } from "@playwright/test";
import { fakeLine } from "./support/fake-llm";
import { dayIn, expect, newUserId, signIn, test, welcomeRequests, ZONE, type Api } from "./support/fixtures";

interface WelcomeView {
  text: string;
  page: string;
  source: "llm" | "template" | "cache";
  generatedAt: string;
}

test.skip(!process.env.COACH_FAKE_LLM_URL, "needs the fake LLM that global-setup starts");

/** A user in Shanghai with one daily habit named with a marker unique to this test. */
async function welcomeUser(api: Api, tag: string): Promise<{ user: string; token: string; marker: string }> {
  const user = newUserId(tag);
  const token = await api.token(user);
  await api.prepareUser(token);
  const marker = `Stretch ${user.replace(/[^A-Za-z0-9]/g, "")}`;
  await api.ok(token, "POST", "/api/habits", { name: marker, startDate: dayIn(ZONE, -1) });
  return { user, token, marker };
}

function welcomeAnswer(page: Page, wanted: { page: string; trigger: string }): Promise<Response> {
  return page.waitForResponse((r) => {
    if (!r.url().endsWith("/api/welcome")) return false;
    const body = r.request().postDataJSON() as { page: string; trigger: string };
    return body.page === wanted.page && body.trigger === wanted.trigger;
  });
}

async function view(response: Response): Promise<WelcomeView> {
  expect(response.status()).toBe(200);
  return (await response.json()) as WelcomeView;
}

const graphemes = (s: string) => [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(s)].length;

test.describe("welcome bubble", () => {
  test("opening a page shows the LLM's line cut to 40 characters; opening it again inside the cache window asks the LLM nothing", async ({ page, api }) => {
    const { user, marker } = await welcomeUser(api, "welcome");
    const feedOpened = welcomeAnswer(page, { page: "feed", trigger: "open" });
    await signIn(page, user);
    const first = await view(await feedOpened);
    const [asked] = await welcomeRequests(marker, "feed");
    expect(await welcomeRequests(marker, "feed")).toHaveLength(1);
    expect(first).toMatchObject({ page: "feed", source: "llm", text: fakeLine(asked!.n) });

    // The line is longer than the bubble: cut to 40 grapheme clusters, ending in an ellipsis.
    const bubble = page.getByRole("complementary", { name: "Coach says" });
    const text = bubble.locator(".welcome-text");
    await expect(text).toHaveText(/…$/);
    const shown = (await text.textContent())!;
    expect(graphemes(shown)).toBe(40);
    expect(first.text.startsWith(shown.slice(0, -1))).toBe(true);

    // Another page: its own line (a new generation for that page).
    const habitsOpened = welcomeAnswer(page, { page: "habits", trigger: "open" });
    await page.getByRole("link", { name: "Habits" }).click();
    const habits = await view(await habitsOpened);
    const habitsAsked = await welcomeRequests(marker, "habits");
    expect(habitsAsked).toHaveLength(1);
    expect(habits).toMatchObject({ page: "habits", source: "llm", text: fakeLine(habitsAsked[0]!.n) });
    await expect(text).toHaveText(new RegExp(`^Line ${habitsAsked[0]!.n}: .*…$`));

    // Back on the feed, and after a reload: the cached line, no new request to the LLM.
    const again = welcomeAnswer(page, { page: "feed", trigger: "open" });
    await page.getByRole("link", { name: "Coach" }).click();
    expect(await view(await again)).toEqual({ ...first, source: "cache" });
    await expect(text).toHaveText(shown);
    const afterReload = welcomeAnswer(page, { page: "feed", trigger: "open" });
    await page.reload();
    expect(await view(await afterReload)).toEqual({ ...first, source: "cache" });
    await expect(text).toHaveText(shown);
    expect(await welcomeRequests(marker, "feed")).toHaveLength(1);
    expect(await welcomeRequests(marker)).toHaveLength(2);

    // It can be closed.
    await bubble.getByRole("button", { name: "Close" }).click();
    await expect(page.locator(".welcome")).toHaveCount(0);
  });

  test("without a usable line from the LLM the bubble shows the server's template; a second open inside the cache window generates nothing", async ({ page, api }) => {
    const { user, token, marker } = await welcomeUser(api, "welcometpl");
    await signIn(page, user);
    // The user's language is now Chinese: the fake LLM's English line fails the CJK rule, is
    // retried once, and the server falls back to its zh-CN template.
    await api.ok(token, "PUT", "/api/preferences", { locale: "zh-CN" });
    const opened = welcomeAnswer(page, { page: "habits", trigger: "open" });
    await page.getByRole("link", { name: "Habits" }).click();
    const template = await view(await opened);
    // One daily habit, due today and not done yet.
    expect(template).toMatchObject({ page: "habits", source: "template", text: "今天还有1个习惯，加油！" });
    const text = page.locator(".welcome-text");
    await expect(text).toHaveText("今天还有1个习惯，加油！");
    expect(await welcomeRequests(marker, "habits")).toHaveLength(2);

    const again = welcomeAnswer(page, { page: "habits", trigger: "open" });
    await page.getByRole("link", { name: "Coach" }).click();
    await page.getByRole("link", { name: "Habits" }).click();
    expect(await view(await again)).toEqual({ ...template, source: "cache" });
    await expect(text).toHaveText("今天还有1个习惯，加油！");
    expect(await welcomeRequests(marker, "habits")).toHaveLength(2);
  });

  test("an operation and the page's timer ask for a new line; inside their cooldowns nothing new is generated", async ({ page, api }) => {
    const { user, token, marker } = await welcomeUser(api, "welcomeop");
    const sent: { page: string; trigger: string }[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/api/welcome")) sent.push(r.postDataJSON() as { page: string; trigger: string });
    });
    // The page's clock runs on, and the test can jump it forward to the timer.
    await page.clock.install();
    await signIn(page, user);
    const opened = welcomeAnswer(page, { page: "habits", trigger: "open" });
    await page.getByRole("link", { name: "Habits" }).click();
    await view(await opened);
    const text = page.locator(".welcome-text");
    const habit = page.locator("li.habit", { has: page.getByRole("heading", { name: marker }) });

    // A check-in is an operation: a new line.
    const operation = welcomeAnswer(page, { page: "habits", trigger: "operation" });
    await habit.getByRole("button", { name: `Mark “${marker}” done today` }).click();
    const afterCheckIn = await view(await operation);
    expect(afterCheckIn.source).toBe("llm");
    expect(afterCheckIn.text).toBe(fakeLine((await welcomeRequests(marker, "habits")).at(-1)!.n));
    await expect(text).toHaveText(new RegExp(`^Line ${(await welcomeRequests(marker, "habits")).at(-1)!.n}: `));
    expect(await welcomeRequests(marker, "habits")).toHaveLength(2);

    // Another one within 10 s: the page does not ask, and the server, asked anyway, answers the cached line.
    await habit.getByLabel("Day", { exact: true }).fill(dayIn(ZONE, -1));
    await habit.getByRole("button", { name: "Check in that day" }).click();
    await expect(habit.locator(".habit-message")).toHaveText(`Checked in for ${dayIn(ZONE, -1)}.`);
    await page.waitForTimeout(1000);
    expect(sent.filter((s) => s.trigger === "operation")).toHaveLength(1);
    const direct = await api.ok<WelcomeView>(token, "POST", "/api/welcome", { page: "habits", trigger: "operation" });
    expect(direct).toEqual({ ...afterCheckIn, source: "cache" });
    expect(await welcomeRequests(marker, "habits")).toHaveLength(2);

    // The page stays open: its timer asks for a line, which the server writes (the first timer trigger)...
    const timer = welcomeAnswer(page, { page: "habits", trigger: "timer" });
    await page.clock.fastForward("05:00");
    const timed = await view(await timer);
    expect(timed.source).toBe("llm");
    expect(await welcomeRequests(marker, "habits")).toHaveLength(3);
    await expect(text).toHaveText(new RegExp(`^Line ${(await welcomeRequests(marker, "habits")).at(-1)!.n}: `));
    // ...and the next one comes within the server's 60 s (its clock is not the page's): the cached line.
    const timerAgain = welcomeAnswer(page, { page: "habits", trigger: "timer" });
    await page.clock.fastForward("05:00");
    expect(await view(await timerAgain)).toEqual({ ...timed, source: "cache" });
    expect(await welcomeRequests(marker, "habits")).toHaveLength(3);
  });
});
