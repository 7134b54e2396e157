import { card, expect, newUserId, signIn, test } from "./support/fixtures";

test.describe("coach feed", () => {
  test("a prompt from an admin scan appears live, is acknowledged, and a quick reply threads its follow-up and changes the stored state", async ({ page, api }) => {
    const user = newUserId("live");
    const token = await api.token(user);
    await api.prepareUser(token);
    await signIn(page, user);
    await expect(page.getByText("Nothing from your coach yet.")).toBeVisible();
    await page.evaluate(() => { (window as unknown as { __sameDocument: boolean }).__sameDocument = true; });
    // The habit only now, with the page open: whichever scan finds it (this test's, or one still
    // running for an earlier test), its prompt reaches the page live.
    const habit = await api.missedHabit(token, "Morning run");

    await api.scanAll();
    const stored = await api.waitForPrompt(token, (p) => p.type === "habit_missed");
    const prompt = card(page, stored.id);
    await expect(prompt).toBeVisible();
    await expect(prompt.locator(".prompt-message")).toHaveText(stored.message);
    expect(stored.message).toContain(habit.name);
    // Live: no reload happened.
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

    // Acked delivered on receipt, then seen (the card is on screen).
    await expect.poll(async () => (await api.prompt(token, stored.id)).state).toBe("seen");
    const acked = await api.prompt(token, stored.id);
    expect(acked.deliveredAt).toBeTruthy();

    // Quick reply: "complete now".
    const done = stored.quickReplies.find((r) => r.value === "complete_now")!;
    await prompt.getByRole("button", { name: done.text }).click();
    const followUp = page.locator(`li.entry:has(> article[data-prompt-id="${stored.id}"]) > ol.thread > li > article`);
    await expect(followUp).toHaveCount(1);
    await expect(prompt.locator(".answer")).toHaveText(`You answered: ${done.text}`);
    await expect(prompt.getByRole("button", { name: done.text })).toHaveCount(0);

    const answered = await api.prompt(token, stored.id);
    expect(answered.state).toBe("responded");
    expect(answered.response).toBe("complete_now");
    const followUps = (await api.prompts(token)).filter((p) => p.replyTo === stored.id);
    expect(followUps).toHaveLength(1);
    await expect(followUp).toHaveAttribute("data-prompt-id", followUps[0]!.id);
    // The completion was recorded: today's check-in is taken.
    const again = await api.call(token, "POST", `/api/habits/${habit.id}/completions`);
    expect(again.status).toBe(409);
  });

  test("free-text reply, feedback (like, dislike, correction) and dismiss", async ({ page, api }) => {
    const user = newUserId("feedback");
    const token = await api.token(user);
    await api.prepareUser(token);
    await api.missedHabit(token, "Read 10 pages");
    await api.missedHabit(token, "Stretch");
    await api.scanAll();
    const [first, second] = await (async () => {
      await api.waitForPrompt(token, (p) => p.type === "habit_missed" && p.facts.habitName === "Stretch");
      const all = (await api.prompts(token)).filter((p) => p.type === "habit_missed");
      return [all.find((p) => p.facts.habitName === "Read 10 pages")!, all.find((p) => p.facts.habitName === "Stretch")!];
    })();
    expect(first).toBeTruthy();

    await signIn(page, user);
    const a = card(page, first.id);
    const b = card(page, second.id);
    await expect(a).toBeVisible();
    await expect(b).toBeVisible();

    // Feedback: 👍 on the first, 👎 on the second, then a correction.
    const liked = page.waitForResponse((r) => r.url().endsWith(`/api/prompts/${first.id}/feedback`) && r.request().method() === "POST");
    await a.getByRole("button", { name: "Helpful", exact: true }).click();
    expect((await liked).status()).toBe(201);
    await expect(a.getByRole("button", { name: "Helpful", exact: true })).toHaveAttribute("aria-pressed", "true");
    await b.getByRole("button", { name: "Not helpful" }).click();
    await expect(b.getByRole("button", { name: "Not helpful" })).toHaveAttribute("aria-pressed", "true");
    await a.getByRole("button", { name: "Suggest a correction" }).click();
    await a.getByLabel("What should the coach have said?").fill("Shorter, please.");
    const corrected = page.waitForResponse((r) => r.url().endsWith(`/api/prompts/${first.id}/feedback`));
    await a.getByRole("button", { name: "Send correction" }).click();
    expect((await corrected).request().postDataJSON()).toEqual({ kind: "correction", text: "Shorter, please." });
    expect((await corrected).status()).toBe(201);

    // Free text on the first.
    await a.getByLabel("Your reply").fill("Too tired in the evenings.");
    await a.getByRole("button", { name: "Send", exact: true }).click();
    await expect(a.locator(".answer")).toHaveText("You answered: Too tired in the evenings.");
    await expect.poll(async () => (await api.prompt(token, first.id)).state).toBe("responded");
    const followUp = (await api.prompts(token)).find((p) => p.replyTo === first.id)!;
    await expect(page.locator(`li.entry:has(> article[data-prompt-id="${first.id}"]) > ol.thread article[data-prompt-id="${followUp.id}"]`)).toBeVisible();

    // Dismiss the second.
    await b.getByRole("button", { name: /^Dismiss/ }).click();
    await expect(b).toHaveCount(0);
    await expect.poll(async () => (await api.prompt(token, second.id)).state).toBe("dismissed");
    await page.reload();
    await expect(card(page, first.id)).toBeVisible();
    await expect(card(page, second.id)).toHaveCount(0);
  });

  test("milestone and weekly review prompts are cards", async ({ page, api }) => {
    const user = newUserId("cards");
    const token = await api.token(user);
    await api.prepareUser(token);
    const habit = await api.missedHabit(token, "Meditate", 10);
    await signIn(page, user);
    await api.generate(user, "milestone_reached", { habitId: habit.id, habitName: habit.name, streak: 7 });
    const milestone = await api.waitForPrompt(token, (p) => p.type === "milestone_reached");
    await api.generate(user, "weekly_review");
    const review = await api.waitForPrompt(token, (p) => p.type === "weekly_review");

    const m = card(page, milestone.id);
    await expect(m).toHaveClass(/prompt--card/);
    await expect(m.locator(".card-facts")).toContainText("7-day streak");
    await expect(m.locator(".card-facts")).toContainText("Habit: Meditate");
    await expect(card(page, review.id)).toHaveClass(/prompt--card/);
    await expect(card(page, review.id).locator(".card-facts")).toContainText("Weekly review");
  });
});
