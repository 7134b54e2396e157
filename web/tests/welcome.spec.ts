import { expect, newUserId, signIn, test } from "./support/fixtures";

test.describe("welcome bubble", () => {
  test("while POST /api/welcome does not exist (404), nothing is shown", async ({ page }) => {
    const asked = page.waitForResponse((r) => r.url().endsWith("/api/welcome"));
    await signIn(page, newUserId("welcome404"));
    const response = await asked;
    expect(response.request().postDataJSON()).toEqual({ page: "feed", trigger: "page_change" });
    expect(response.status()).toBe(404);
    await page.waitForTimeout(500);
    await expect(page.locator(".welcome")).toHaveCount(0);
  });

  test("a greeting is shown at most 40 characters long, per page, and can be closed", async ({ page }) => {
    // The server part is being built in parallel: its answer is stood in for here.
    const asks: { page: string; trigger: string }[] = [];
    await page.route("**/api/welcome", async (route) => {
      const body = route.request().postDataJSON() as { page: string; trigger: string };
      asks.push(body);
      await route.fulfill({
        status: 200, contentType: "application/json",
        body: JSON.stringify({ message: body.page === "habits" ? "Two habits going strong this week — shall we add a third one today?" : "早上好！今天也一起加油吧。" }),
      });
    });
    await signIn(page, newUserId("welcome"));
    await expect(page.locator(".welcome-text")).toHaveText("早上好！今天也一起加油吧。");

    await page.getByRole("link", { name: "Habits" }).click();
    const text = page.locator(".welcome-text");
    await expect(text).toHaveText(/…$/);
    const shown = (await text.textContent())!;
    expect([...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(shown)].length).toBeLessThanOrEqual(40);
    expect("Two habits going strong this week — shall we add a third one today?".startsWith(shown.slice(0, -1))).toBe(true);

    await page.getByRole("button", { name: "Close" }).click();
    await expect(page.locator(".welcome")).toHaveCount(0);
    expect(asks.slice(0, 2)).toEqual([{ page: "feed", trigger: "page_change" }, { page: "habits", trigger: "page_change" }]);
  });
});
