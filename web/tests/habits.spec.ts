import { card, dayIn, expect, newUserId, signIn, test, ZONE } from "./support/fixtures";

test.describe("habits", () => {
  test("create, check in today and a past day (streak), edit, pause and resume, delete", async ({ page, api }) => {
    const user = newUserId("habits");
    const token = await api.token(user);
    await api.prepareUser(token);
    const today = dayIn(ZONE);
    const yesterday = dayIn(ZONE, -1);

    await signIn(page, user);
    await page.getByRole("link", { name: "Habits" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Habits" })).toBeVisible();
    await expect(page.getByText("No habits yet.")).toBeVisible();

    // The server's validation message lands by the field.
    const create = page.locator("form.habit-new");
    await create.getByRole("button", { name: "Add habit" }).click();
    await expect(create.locator('[data-field="name"] .field-error')).toHaveText(/name must be 1 to 100 characters/);

    await create.getByLabel("Name").fill("Push-ups");
    await create.getByLabel("Start date").fill(dayIn(ZONE, -5));
    await create.getByLabel("Goal (days, optional)").fill("30");
    await create.getByRole("button", { name: "Add habit" }).click();
    const habit = page.locator("li.habit", { has: page.getByRole("heading", { name: "Push-ups" }) });
    await expect(habit).toBeVisible();
    await expect(habit.locator(".habit-meta")).toContainText("Every day");
    await expect(habit.locator(".habit-meta")).toContainText("Goal: 30 days");
    await expect(habit.locator(".streak-count")).toHaveAttribute("data-streak", "0");
    const [stored] = (await api.ok<{ items: { id: string; name: string; goalDays: number; startDate: string }[] }>(token, "GET", "/api/habits")).items;
    expect(stored).toMatchObject({ name: "Push-ups", goalDays: 30, startDate: dayIn(ZONE, -5) });

    await habit.getByRole("button", { name: "Mark “Push-ups” done today" }).click();
    await expect(habit.locator(".habit-message")).toHaveText(`Checked in for ${today}.`);
    await expect(habit.locator(".streak-count")).toHaveAttribute("data-streak", "1");
    await expect(habit.getByRole("button", { name: "Mark “Push-ups” done today" })).toBeDisabled();

    await habit.getByLabel("Day", { exact: true }).fill(yesterday);
    await habit.getByRole("button", { name: "Check in that day" }).click();
    await expect(habit.locator(".habit-message")).toHaveText(`Checked in for ${yesterday}.`);
    await expect(habit.locator(".streak-count")).toHaveAttribute("data-streak", "2");
    // Both days are stored: the server refuses them a second time.
    expect((await api.call(token, "POST", `/api/habits/${stored!.id}/completions`, { date: yesterday })).status).toBe(409);
    expect((await api.call(token, "POST", `/api/habits/${stored!.id}/completions`)).status).toBe(409);

    // Edit: a new name and weekdays.
    await habit.getByRole("button", { name: "Edit “Push-ups”" }).click();
    const edit = page.locator("form.habit-edit");
    await edit.getByLabel("Name").fill("Push-ups ×20");
    await edit.getByLabel("Monday").check();
    await edit.getByLabel("Thursday").check();
    await edit.getByRole("button", { name: "Save" }).click();
    const edited = page.locator("li.habit", { has: page.getByRole("heading", { name: "Push-ups ×20" }) });
    await expect(edited.locator(".habit-meta")).toContainText("Monday, Thursday");
    expect((await api.ok<{ items: { name: string; daysOfWeek: string[] }[] }>(token, "GET", "/api/habits")).items[0]).toMatchObject({ name: "Push-ups ×20", daysOfWeek: ["monday", "thursday"] });

    // Pause and resume.
    await edited.getByRole("button", { name: "Pause" }).click();
    await expect(edited.locator(".pill")).toHaveText("Paused");
    expect((await api.ok<{ items: { active: boolean }[] }>(token, "GET", "/api/habits")).items[0]!.active).toBe(false);
    await edited.getByRole("button", { name: "Resume" }).click();
    await expect(edited.locator(".pill")).toHaveText("Active");
    expect((await api.ok<{ items: { active: boolean }[] }>(token, "GET", "/api/habits")).items[0]!.active).toBe(true);

    // Delete asks first.
    await edited.getByRole("button", { name: "Delete “Push-ups ×20”" }).click();
    await edited.getByRole("button", { name: "Yes, delete" }).click();
    await expect(page.getByText("No habits yet.")).toBeVisible();
    expect((await api.ok<{ items: unknown[] }>(token, "GET", "/api/habits")).items).toEqual([]);
  });

  test("a habit named <img src=x onerror=alert(1)> is text on the habits page and in the feed, and runs nothing", async ({ page, api }) => {
    const name = "<img src=x onerror=alert(1)>";
    const user = newUserId("xss");
    const token = await api.token(user);
    await api.prepareUser(token);
    await signIn(page, user);
    await page.evaluate(() => { (window as unknown as { alert: (m: string) => void }).alert = (m) => { (window as unknown as { __alerted: string }).__alerted = String(m); }; });

    await page.getByRole("link", { name: "Habits" }).click();
    const create = page.locator("form.habit-new");
    await create.getByLabel("Name").fill(name);
    await create.getByLabel("Start date").fill(dayIn(ZONE, -3));
    await create.getByRole("button", { name: "Add habit" }).click();
    await expect(page.locator("li.habit h3")).toHaveText(name);
    await expect(page.locator("main img")).toHaveCount(0);

    // The coach names the habit in a prompt: text there too.
    await page.getByRole("link", { name: "Coach" }).click();
    await api.scanAll();
    const stored = await api.waitForPrompt(token, (p) => p.type === "habit_missed");
    expect(stored.message).toContain(name);
    await expect(card(page, stored.id).locator(".prompt-message")).toHaveText(stored.message);
    await expect(page.locator("main img")).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __alerted?: string }).__alerted)).toBeUndefined();
    // No request for the would-be image "x" either.
    expect(await page.evaluate(() => performance.getEntriesByType("resource").some((e) => e.name.endsWith("/x")))).toBe(false);
  });
});
