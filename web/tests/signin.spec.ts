import { card, expect, newUserId, signIn, test } from "./support/fixtures";

test.describe("sign-in", () => {
  test("development sign-in by keyboard alone; the token stays in sessionStorage and out of URLs", async ({ page, api }) => {
    const user = newUserId("signin");
    const urls: string[] = [];
    page.on("request", (r) => urls.push(r.url()));
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();

    // Keyboard only: the user id field has the focus; Tab to the admin box, Space, Enter to submit.
    await expect(page.getByLabel("User id")).toBeFocused();
    await page.keyboard.type(user);
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("Sign in with the admin role")).toBeFocused();
    await page.keyboard.press("Space");
    await page.keyboard.press("Enter");

    await expect(page.getByRole("heading", { level: 1, name: "Your coach" })).toBeVisible();
    await expect(page.locator("#conn")).toHaveAttribute("data-status", "connected");
    await expect(page.locator("#conn")).toHaveText("Connected");
    await expect(page.getByText(`Signed in as ${user}`)).toBeVisible();
    await expect(page.getByRole("link", { name: "Admin" })).toBeVisible();

    const stored = await page.evaluate(() => ({
      session: sessionStorage.getItem("coach.session"),
      local: JSON.stringify(Object.fromEntries(Object.entries(localStorage))),
    }));
    const token = (JSON.parse(stored.session!) as { accessToken: string }).accessToken;
    expect(token.split(".")).toHaveLength(3);
    expect(stored.local).not.toContain(token);
    expect(page.url()).not.toContain(token);
    expect(urls.filter((u) => u.includes(token))).toEqual([]);

    // The token works against the API as that user (with the admin role).
    const stats = await api.call(token, "GET", "/api/admin/stats?days=1");
    expect(stats.status).toBe(200);

    // Navigation by keyboard: the nav links are reachable and move the focus to the page's heading.
    await page.getByRole("link", { name: "Habits" }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1, name: "Habits" })).toBeFocused();
  });

  test("a user id the server refuses shows its message by the field; sign-out forgets the token", async ({ page }) => {
    await page.goto("/");
    await page.getByLabel("User id").fill("not valid!");
    await page.getByRole("button", { name: "Sign in" }).click();
    const field = page.locator('[data-field="userId"]');
    await expect(field.locator(".field-error")).toHaveText(/userId must be 1 to 64/);
    await expect(page.getByLabel("User id")).toHaveAttribute("aria-invalid", "true");

    const user = newUserId("signout");
    await signIn(page, user);
    await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    expect(await page.evaluate(() => sessionStorage.getItem("coach.session"))).toBeNull();
    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  });

  test("a non-admin asking for the admin page lands on the feed", async ({ page }) => {
    await signIn(page, newUserId("noadmin"));
    await page.goto("/#/admin");
    await expect(page.getByRole("heading", { level: 1, name: "Your coach" })).toBeVisible();
    await expect(page).toHaveURL(/#\/feed$/);
    void card;
  });
});
