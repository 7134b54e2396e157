import { expect, newUserId, signIn, test } from "./support/fixtures";

interface Prefs {
  timeZone: string; locale: string; preferredTime: string; enabledTypes: string[]; maxPerDay: number; maxPerHour: number;
  minIntervalMinutes: number; quietHours: { enabled: boolean; start: string; end: string }; channels: string[];
  reviewDay: string; reviewTime: string; customInstructions: string | null;
}

test.describe("preferences", () => {
  test("every field saved survives a reload", async ({ page, api }) => {
    const user = newUserId("prefs");
    const token = await api.token(user);
    await signIn(page, user);
    await page.getByRole("link", { name: "Preferences" }).click();
    const form = page.locator("form.prefs-form");
    await expect(form.getByLabel("Time zone")).toHaveValue("UTC");

    await form.getByLabel("Time zone").fill("Europe/Berlin");
    await form.getByLabel("Preferred check-in time").fill("07:45");
    await form.getByLabel("Weekly review day").selectOption("saturday");
    await form.getByLabel("Weekly review time").fill("18:30");
    await form.getByLabel("Progress stalled").check();
    await form.getByLabel("Daily check-in").uncheck();
    await form.getByLabel("At most per day (1–20)").fill("7");
    await form.getByLabel("At most per hour (1–10)").fill("3");
    await form.getByLabel("Minutes between messages (0–720)").fill("45");
    await form.getByLabel("From").fill("21:30");
    await form.getByLabel("Until").fill("07:00");
    await form.getByLabel("E-mail").check();
    await form.getByLabel("Instructions for your coach").fill("Be brief. <b>No bold</b>.");
    await form.getByRole("button", { name: "Save preferences" }).click();
    await expect(page.locator(".preferences .page-status")).toHaveText("Preferences saved.");

    const expected: Partial<Prefs> = {
      timeZone: "Europe/Berlin", preferredTime: "07:45", reviewDay: "saturday", reviewTime: "18:30",
      enabledTypes: ["habit_missed", "progress_stalled", "weekly_review", "milestone_reached"],
      maxPerDay: 7, maxPerHour: 3, minIntervalMinutes: 45, quietHours: { enabled: true, start: "21:30", end: "07:00" },
      channels: ["in_app", "email"], customInstructions: "Be brief. <b>No bold</b>.",
    };
    expect(await api.ok<Prefs>(token, "GET", "/api/preferences")).toMatchObject(expected);

    await page.reload();
    await expect(form.getByLabel("Time zone")).toHaveValue("Europe/Berlin");
    await expect(form.getByLabel("Preferred check-in time")).toHaveValue("07:45");
    await expect(form.getByLabel("Weekly review day")).toHaveValue("saturday");
    await expect(form.getByLabel("Progress stalled")).toBeChecked();
    await expect(form.getByLabel("Daily check-in")).not.toBeChecked();
    await expect(form.getByLabel("At most per day (1–20)")).toHaveValue("7");
    await expect(form.getByLabel("Minutes between messages (0–720)")).toHaveValue("45");
    await expect(form.getByLabel("From")).toHaveValue("21:30");
    await expect(form.getByLabel("E-mail")).toBeChecked();
    await expect(form.getByLabel("Instructions for your coach")).toHaveValue("Be brief. <b>No bold</b>.");
  });

  test("invalid values show the server's messages next to their fields and change nothing", async ({ page, api }) => {
    const user = newUserId("badprefs");
    const token = await api.token(user);
    await signIn(page, user);
    const before = await api.ok<Prefs>(token, "GET", "/api/preferences");
    await page.getByRole("link", { name: "Preferences" }).click();
    const form = page.locator("form.prefs-form");
    await form.getByLabel("At most per day (1–20)").fill("99");
    await form.getByLabel("Time zone").fill("Mars/Olympus_Mons");
    await form.getByLabel("Instructions for your coach").fill("fine");
    await form.getByRole("button", { name: "Save preferences" }).click();

    const perDay = form.locator('[data-field="maxPerDay"]');
    await expect(perDay.locator(".field-error")).toHaveText("maxPerDay must be a whole number from 1 to 20.");
    await expect(perDay.getByRole("spinbutton")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByLabel("At most per day (1–20)")).toHaveAccessibleDescription(/maxPerDay must be a whole number from 1 to 20/);
    await expect(form.locator('[data-field="timeZone"] .field-error')).toHaveText(/IANA time zone/);
    await expect(page.locator(".preferences .page-status")).toHaveText(/Some fields need attention/);
    expect(await api.ok<Prefs>(token, "GET", "/api/preferences")).toEqual(before);

    // Quiet hours that start and end together: the fieldset gets the message.
    await form.getByLabel("At most per day (1–20)").fill("5");
    await form.getByLabel("Time zone").fill("UTC");
    await form.getByLabel("From").fill("08:00");
    await form.getByLabel("Until").fill("08:00");
    await form.getByRole("button", { name: "Save preferences" }).click();
    await expect(form.locator('fieldset[data-field="quietHours"] > .field-error')).toHaveText(/different start and end/);
    await expect(form.locator('[data-field="maxPerDay"] .field-error')).toBeHidden();
  });

  test("the language follows the user's locale (zh-CN)", async ({ page }) => {
    await signIn(page, newUserId("zh"));
    await page.getByRole("link", { name: "Preferences" }).click();
    await page.getByLabel("Language").selectOption("zh-CN");
    await page.getByRole("button", { name: "Save preferences" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "偏好设置" })).toBeVisible();
    await expect(page.locator(".preferences .page-status")).toHaveText("偏好设置已保存。");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("link", { name: "习惯" })).toBeVisible();
    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "偏好设置" })).toBeVisible();
    await expect(page.locator("#conn")).toHaveText("已连接");
  });
});
