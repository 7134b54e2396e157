import type { Locator } from "@playwright/test";
import { card, dayIn, expect, newUserId, signIn, test, ZONE, type Api } from "./support/fixtures";

interface ListedHabit {
  id: string;
  name: string;
  streak: number;
  recentCompletions: string[];
}

async function listed(api: Api, token: string, name: string): Promise<ListedHabit> {
  const items = (await api.ok<{ items: ListedHabit[] }>(token, "GET", "/api/habits")).items;
  return items.find((h) => h.name === name)!;
}

/** The habit's 28 days as the page draws them: date → state. */
async function grid(habit: Locator): Promise<Record<string, string>> {
  const cells = habit.locator(".recent-days .day");
  await expect(cells).toHaveCount(28);
  const out: Record<string, string> = {};
  for (const cell of await cells.all()) out[(await cell.getAttribute("data-date"))!] = (await cell.getAttribute("data-state"))!;
  return out;
}

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
    // The streak and the days are the server's.
    const counted = await listed(api, token, "Push-ups");
    expect(counted).toMatchObject({ streak: 2, recentCompletions: [yesterday, today] });
    const days = await grid(habit);
    expect(Object.keys(days)[0]).toBe(dayIn(ZONE, -27));
    expect(Object.keys(days)[27]).toBe(today);
    expect(days[today]).toBe("done");
    expect(days[yesterday]).toBe("done");
    for (const offset of [-2, -3, -4, -5]) expect(days[dayIn(ZONE, offset)]).toBe("missed");
    expect(days[dayIn(ZONE, -6)]).toBe("before");
    await expect(habit.locator(".recent-days")).toHaveAttribute("aria-label", "Last 4 weeks: done on 2 of 6 scheduled days");
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
    // Other weekdays are off the schedule now, and the streak is counted again by the server.
    const rescheduled = await listed(api, token, "Push-ups ×20");
    await expect(edited.locator(".streak-count")).toHaveAttribute("data-streak", String(rescheduled.streak));
    const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
    for (const [date, state] of Object.entries(await grid(edited))) {
      if (rescheduled.recentCompletions.includes(date)) expect(state, date).toBe("done");
      else if (date < dayIn(ZONE, -5)) expect(state, date).toBe("before");
      else if (![1, 4].includes(weekday(date))) expect(state, date).toBe("off");
      else expect(state, date).toMatch(/^(missed|open)$/);
    }

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

  test("the streak and the last 4 weeks come from the server, check-ins made elsewhere included", async ({ page, api }) => {
    const user = newUserId("streak");
    const token = await api.token(user);
    await api.prepareUser(token);
    // Checked in on another device (here: the API) three days running, up to yesterday.
    const made = await api.ok<{ id: string }>(token, "POST", "/api/habits", { name: "Meditate", startDate: dayIn(ZONE, -40) });
    for (const offset of [-3, -2, -1]) await api.ok(token, "POST", `/api/habits/${made.id}/completions`, { date: dayIn(ZONE, offset) });
    await api.ok(token, "POST", `/api/habits/${made.id}/completions`, { date: dayIn(ZONE, -30) });

    await signIn(page, user);
    await page.getByRole("link", { name: "Habits" }).click();
    const habit = page.locator("li.habit", { has: page.getByRole("heading", { name: "Meditate" }) });
    await expect(habit.locator(".streak-count")).toHaveAttribute("data-streak", "3");
    await expect(habit.locator(".streak-count")).toHaveText("🔥 Streak: 3");
    const days = await grid(habit);
    expect(Object.entries(days).filter(([, s]) => s === "done").map(([d]) => d)).toEqual([dayIn(ZONE, -3), dayIn(ZONE, -2), dayIn(ZONE, -1)]);
    expect(days[dayIn(ZONE)]).toBe("open");
    expect(days[dayIn(ZONE, -4)]).toBe("missed");
    await expect(habit.locator(".recent-days")).toHaveAttribute("aria-label", "Last 4 weeks: done on 3 of 28 scheduled days");
    await expect(habit.getByRole("button", { name: "Mark “Meditate” done today" })).toBeEnabled();

    // Done today on the API: the page shows it after the next read, with the streak the server counts.
    await api.ok(token, "POST", `/api/habits/${made.id}/completions`);
    await page.getByRole("link", { name: "Coach" }).click();
    await page.getByRole("link", { name: "Habits" }).click();
    await expect(habit.locator(".streak-count")).toHaveAttribute("data-streak", "4");
    expect((await grid(habit))[dayIn(ZONE)]).toBe("done");
    await expect(habit.getByRole("button", { name: "Mark “Meditate” done today" })).toBeDisabled();
    // Nothing about check-ins is kept on the device.
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes("checkin")))).toEqual([]);
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
