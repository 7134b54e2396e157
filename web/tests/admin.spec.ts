import { expect, newUserId, signIn, test } from "./support/fixtures";

test.describe("admin", () => {
  test("the admin page charts GET /api/admin/stats and can run a scan", async ({ page, api }) => {
    const user = newUserId("admin");
    const token = await api.token(user, true);
    await api.prepareUser(token);
    await api.missedHabit(token, "Sleep by 23:00");
    await signIn(page, user, true);
    await api.scanAll();
    await api.waitForPrompt(token, (p) => p.type === "habit_missed");

    await page.getByRole("link", { name: "Admin" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Admin" })).toBeFocused();
    const stats = await api.ok<{ generated: { total: number; byType: Record<string, number> } }>(token, "GET", "/api/admin/stats?days=7");
    expect(stats.generated.byType.habit_missed).toBeGreaterThanOrEqual(1);

    await expect(page.locator("figure.chart")).toHaveCount(6);
    await expect(page.locator("figure.chart canvas")).toHaveCount(6);
    // Chart.js drew on every canvas (it sizes them).
    for (const canvas of await page.locator("figure.chart canvas").all()) {
      await expect.poll(async () => (await canvas.boundingBox())?.height ?? 0).toBeGreaterThan(100);
    }
    const byType = page.locator('figure[data-chart="admin.generatedByType"]');
    await expect(byType.locator("canvas")).toHaveAttribute("aria-label", /Missed habit: \d+/);
    await byType.getByText("Data").click();
    await expect(byType.getByRole("row", { name: /Missed habit/ })).toBeVisible();
    await expect(page.locator(".figures dl")).toContainText("Prompts generated");
    await expect(page.locator('figure[data-chart="admin.channelFailures"] figcaption')).toHaveText("Failed, by channel");

    await page.getByLabel("Period").selectOption("30");
    await expect(page.locator("figure.chart")).toHaveCount(6);
    const scanned = page.waitForResponse((r) => r.url().endsWith("/api/admin/scan"));
    await page.getByRole("button", { name: "Run a scan of every user now" }).click();
    expect((await scanned).status()).toBe(202);
    await expect(page.locator(".admin .page-status")).toHaveText(/Scan queued \(16 shards\)/);
  });
});
