import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { card, dayIn, expect, newUserId, signIn, test, ZONE, type Api } from "./support/fixtures";

const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../test-results/screenshots");
const WIDTHS = [1280, 375] as const;

/** axe-core over the whole page: no serious or critical violation (WCAG 2.1 A/AA and best practices). */
async function axe(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const bad = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  expect(bad, `axe on ${label}`).toEqual([]);
}

async function everyWidth(page: Page, name: string, ready: () => Promise<void>): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await ready();
    // Usable at 375 px: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(width);
    await axe(page, `${name} at ${width} px`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(screenshots, `${name}-${width}.png`), fullPage: true });
  }
}

async function seed(api: Api, user: string): Promise<{ token: string; answered: string }> {
  const token = await api.token(user, true);
  await api.prepareUser(token, { enabledTypes: ["habit_missed", "milestone_reached", "weekly_review", "daily_checkin"] });
  const run = await api.missedHabit(token, "Evening run", 12);
  await api.ok(token, "PUT", "/api/contacts", { email: null, devices: [{ token: "apns-0123456789abcdef0123456789abcdef", platform: "ios" }] });
  await api.ok(token, "POST", "/api/habits", { name: "Read 20 pages", startDate: dayIn(ZONE, -30), daysOfWeek: ["monday", "wednesday", "friday"], goalDays: 60 });
  await api.scanAll();
  const missed = await api.waitForPrompt(token, (p) => p.type === "habit_missed");
  await api.ok(token, "POST", `/api/prompts/${missed.id}/respond`, { value: "talk_about_challenge" });
  await api.generate(user, "milestone_reached", { habitId: run.id, habitName: run.name, streak: 21 });
  await api.generate(user, "weekly_review");
  await api.generate(user, "daily_checkin");
  for (const type of ["milestone_reached", "weekly_review", "daily_checkin"]) await api.waitForPrompt(token, (p) => p.type === type);
  return { token, answered: missed.id };
}

test.describe("accessibility, small screens and screenshots", () => {
  test("sign-in page", async ({ page }) => {
    await page.goto("/");
    await everyWidth(page, "signin", async () => {
      await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    });
  });

  test("feed, habits, preferences and admin pages", async ({ page, api }) => {
    const user = newUserId("a11y");
    const { answered } = await seed(api, user);
    await signIn(page, user, true);

    await everyWidth(page, "feed", async () => {
      await expect(card(page, answered)).toBeVisible();
      await expect(page.locator("article.prompt--card")).toHaveCount(2);
      await expect(page.locator("ol.thread article")).toHaveCount(1);
      // One open prompt shows its correction form too.
      const open = page.locator("article.prompt--daily_checkin");
      if (await open.getByLabel("What should the coach have said?").count() === 0) await open.getByRole("button", { name: "Suggest a correction" }).click();
    });

    await page.getByRole("link", { name: "Habits" }).click();
    await everyWidth(page, "habits", async () => {
      await expect(page.locator("li.habit")).toHaveCount(2);
    });

    await page.getByRole("link", { name: "Preferences" }).click();
    await everyWidth(page, "preferences", async () => {
      const form = page.locator("form.prefs-form");
      await expect(form.getByLabel("Time zone")).toHaveValue(ZONE);
      // With a server message showing, as a user would see it.
      await form.getByLabel("At most per hour (1–10)").fill("50");
      await form.getByRole("button", { name: "Save preferences" }).click();
      await expect(form.locator('[data-field="maxPerHour"] .field-error')).toBeVisible();
      // The contacts: a device listed, the server's message for an e-mail address, WeCom off.
      const contacts = page.getByRole("region", { name: "Contacts" });
      await expect(contacts.locator("li.device")).toHaveCount(1);
      await contacts.getByLabel("E-mail address").fill("not an address");
      await contacts.getByRole("button", { name: "Save e-mail address" }).click();
      await expect(contacts.locator('[data-field="email"] .field-error')).toBeVisible();
      const wecom = contacts.getByRole("button", { name: "Link WeCom" });
      if (await wecom.isVisible()) await wecom.click();
      await expect(contacts.getByText("WeCom is not set up on this server.")).toBeVisible();
    });

    await page.getByRole("link", { name: "Admin" }).click();
    await everyWidth(page, "admin", async () => {
      await expect(page.locator("figure.chart canvas")).toHaveCount(6);
      await expect.poll(async () => (await page.locator("figure.chart canvas").first().boundingBox())?.height ?? 0).toBeGreaterThan(100);
    });
  });
});
