// Habits: create, edit, pause/resume, delete, check in today or a past day; each habit's streak
// and its last 28 days as GET /api/habits has them (the server is the one record: after every
// change the list is read again).

import { ApiError, del, describe, get, post, put } from "./api";
import { addDays, weekday } from "./dates";
import type { PageContext } from "./context";
import { h, replaceChildren, uid } from "./dom";
import { checkbox, clearErrors, field, group, showErrors } from "./forms";
import { t } from "./i18n";
import { WEEKDAYS, type Habit, type HabitListItem } from "./types";

interface UiState {
  editing: string | null;
  confirming: string | null;
  messages: Map<string, { text: string; error: boolean }>;
}

export function habitsPage(ctx: PageContext): HTMLElement {
  const state: UiState = { editing: null, confirming: null, messages: new Map() };
  let habits: HabitListItem[] = [];
  const status = h("p", { class: "page-status", role: "status" });
  const list = h("ul", { class: "habit-list", "aria-labelledby": "habits-list-title" });
  const root = h("section", { class: "habits", "aria-labelledby": "habits-title" },
    h("h1", { id: "habits-title", class: "page-title" }, t("habits.title")),
    status,
    createForm(),
    h("h2", { id: "habits-list-title" }, t("habits.list")),
    list,
  );

  function say(text: string, error = false): void {
    status.textContent = text;
    status.classList.toggle("error", error);
  }

  async function load(): Promise<void> {
    try {
      habits = (await get<{ items: HabitListItem[] }>("/api/habits")).items;
      render();
    } catch (error) {
      say(t("habits.loadFailed", { detail: describe(error) }), true);
    }
  }

  function createForm(): HTMLFormElement {
    const name = h("input", { type: "text", maxlength: "100", required: true, autocomplete: "off" });
    const start = h("input", { type: "date", value: ctx.today() });
    const goal = h("input", { type: "number", min: "1", max: "1000", step: "1", inputmode: "numeric" });
    const days = dayChoices("new", []);
    const form: HTMLFormElement = h("form", {
      class: "habit-new card-form", novalidate: true, "aria-labelledby": "habit-new-title",
      on: {
        submit: async (e) => {
          e.preventDefault();
          clearErrors(form);
          const body: Record<string, unknown> = { name: name.value, startDate: start.value || undefined, daysOfWeek: checked(days) };
          if (goal.value !== "") body.goalDays = Number(goal.value);
          try {
            await post<Habit>("/api/habits", body);
            form.reset();
            start.value = ctx.today();
            say(t("habits.created"));
            await load();
            ctx.operationDone("habits");
          } catch (error) {
            failed(form, error);
          }
        },
      },
    },
    h("h2", { id: "habit-new-title" }, t("habits.new")),
    field("name", t("habits.name"), name),
    h("div", { class: "row" },
      field("startDate", t("habits.startDate"), start),
      field("goalDays", t("habits.goalDays"), goal)),
    group("daysOfWeek", t("habits.days"), days, h("p", { class: "help" }, t("habits.daysHelp"))),
    h("button", { type: "submit", class: "primary" }, t("habits.create")));
    return form;
  }

  function failed(form: HTMLElement, error: unknown): void {
    if (error instanceof ApiError && Object.keys(error.errors).length > 0) {
      const rest = showErrors(form, error.errors);
      say(rest.length ? rest.join(" ") : error.message, true);
    } else {
      say(describe(error), true);
    }
  }

  function render(): void {
    const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.focus;
    if (habits.length === 0) {
      replaceChildren(list, h("li", { class: "empty" }, t("habits.empty")));
      return;
    }
    replaceChildren(list, ...habits.map(item));
    if (focusKey) list.querySelector<HTMLElement>(`[data-focus="${CSS.escape(focusKey)}"]`)?.focus();
  }

  function item(habit: HabitListItem): HTMLLIElement {
    const today = ctx.today();
    const titleId = uid("habit");
    const count = habit.streak;
    const doneToday = habit.recentCompletions.includes(today);
    const message = state.messages.get(habit.id);
    const focus = (what: string) => `${habit.id}:${what}`;

    const meta = [
      habit.daysOfWeek.length === 0 ? t("habits.everyDay") : habit.daysOfWeek.map((d) => t(`day.${d}` as never)).join(", "),
      t("habits.since", { date: habit.startDate }),
      habit.goalDays ? t("habits.goal", { n: habit.goalDays }) : null,
    ].filter(Boolean).join(" · ");

    const pastDate = h("input", { type: "date", min: habit.startDate, max: today, value: today });
    const li = h("li", { class: `habit${habit.active ? "" : " habit--paused"}`, dataset: { habitId: habit.id }, "aria-labelledby": titleId },
      h("div", { class: "habit-head" },
        h("h3", { id: titleId, class: "habit-name" }, habit.name),
        h("span", { class: `pill ${habit.active ? "pill--on" : "pill--off"}` }, habit.active ? t("habits.active") : t("habits.paused"))),
      h("p", { class: "habit-meta" }, meta),
      h("p", { class: "habit-streak" },
        h("span", { class: "streak-count", dataset: { streak: String(count) } }, `🔥 ${t("habits.streak", { n: count })}`)),
      recentDays(habit, today),
      h("div", { class: "habit-actions" },
        h("button", {
          type: "button", class: "primary", disabled: doneToday || !habit.active,
          "aria-label": t("habits.doneTodayLabel", { name: habit.name }), dataset: { focus: focus("today") },
          on: { click: () => void checkIn(habit, null) },
        }, `✓ ${t("habits.doneToday")}`),
        h("form", {
          class: "past-day", novalidate: true,
          on: { submit: (e) => { e.preventDefault(); if (pastDate.value) void checkIn(habit, pastDate.value); } },
        }, field("date", t("habits.pastDay"), pastDate),
        h("button", { type: "submit", class: "secondary", dataset: { focus: focus("past") } }, t("habits.checkIn"))),
        h("button", {
          type: "button", class: "secondary", "aria-expanded": String(state.editing === habit.id),
          "aria-label": t("habits.editLabel", { name: habit.name }), dataset: { focus: focus("edit") },
          on: { click: () => { state.editing = state.editing === habit.id ? null : habit.id; state.confirming = null; render(); } },
        }, t("habits.edit")),
        h("button", {
          type: "button", class: "secondary", dataset: { focus: focus("pause") },
          on: { click: () => void change(habit, { active: !habit.active }) },
        }, habit.active ? t("habits.pause") : t("habits.resume")),
        h("button", {
          type: "button", class: "danger", "aria-label": t("habits.deleteLabel", { name: habit.name }), dataset: { focus: focus("delete") },
          on: { click: () => { state.confirming = habit.id; render(); list.querySelector<HTMLElement>(`[data-focus="${focus("confirm")}"]`)?.focus(); } },
        }, t("habits.delete"))),
    );
    if (state.confirming === habit.id) {
      li.append(h("div", { class: "confirm", role: "group", "aria-label": t("habits.confirmDelete", { name: habit.name }) },
        h("p", null, t("habits.confirmDelete", { name: habit.name })),
        h("button", { type: "button", class: "danger", dataset: { focus: focus("confirm") }, on: { click: () => void remove(habit) } }, t("habits.confirmYes")),
        h("button", { type: "button", class: "secondary", on: { click: () => { state.confirming = null; render(); } } }, t("habits.cancel"))));
    }
    if (state.editing === habit.id) li.append(editForm(habit));
    if (message) li.append(h("p", { class: `habit-message${message.error ? " error" : ""}`, role: "status" }, message.text));
    return li;
  }

  function editForm(habit: Habit): HTMLFormElement {
    const name = h("input", { type: "text", maxlength: "100", value: habit.name, dataset: { focus: `${habit.id}:edit-name` } });
    const start = h("input", { type: "date", value: habit.startDate });
    const goal = h("input", { type: "number", min: "1", max: "1000", step: "1", value: habit.goalDays ?? "" });
    const days = dayChoices(habit.id, habit.daysOfWeek);
    const form: HTMLFormElement = h("form", {
      class: "habit-edit card-form", novalidate: true,
      on: {
        submit: async (e) => {
          e.preventDefault();
          const body: Record<string, unknown> = { name: name.value, startDate: start.value, daysOfWeek: checked(days) };
          if (goal.value !== "") body.goalDays = Number(goal.value);
          await change(habit, body, form);
        },
      },
    },
    field("name", t("habits.name"), name),
    h("div", { class: "row" }, field("startDate", t("habits.startDate"), start), field("goalDays", t("habits.goalDays"), goal)),
    group("daysOfWeek", t("habits.days"), days),
    h("div", { class: "row" },
      h("button", { type: "submit", class: "primary" }, t("habits.save")),
      h("button", { type: "button", class: "secondary", on: { click: () => { state.editing = null; render(); } } }, t("habits.cancel"))));
    queueMicrotask(() => name.focus());
    return form;
  }

  async function change(habit: Habit, body: Record<string, unknown>, form?: HTMLFormElement): Promise<void> {
    try {
      await put<Habit>(`/api/habits/${habit.id}`, body);
      state.editing = null;
      state.messages.set(habit.id, { text: t("habits.saved"), error: false });
      // New days or a new start date change the streak: the list as the server counts it now.
      await load();
    } catch (error) {
      if (form && error instanceof ApiError && Object.keys(error.errors).length > 0) {
        const rest = showErrors(form, error.errors);
        if (rest.length) state.messages.set(habit.id, { text: rest.join(" "), error: true });
      } else {
        state.messages.set(habit.id, { text: describe(error), error: true });
        render();
      }
    }
  }

  async function remove(habit: Habit): Promise<void> {
    try {
      await del(`/api/habits/${habit.id}`);
      habits = habits.filter((x) => x.id !== habit.id);
      state.confirming = null;
      say(t("habits.deleted"));
      render();
      document.getElementById("habits-list-title")?.focus();
    } catch (error) {
      state.messages.set(habit.id, { text: describe(error), error: true });
      render();
    }
  }

  async function checkIn(habit: Habit, date: string | null): Promise<void> {
    try {
      const result = await post<{ habitId: string; date: string }>(`/api/habits/${habit.id}/completions`, date ? { date } : undefined);
      state.messages.set(habit.id, { text: t("habits.checkedIn", { date: result.date }), error: false });
      ctx.operationDone("habits");
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        state.messages.set(habit.id, { text: t("habits.already", { date: date ?? ctx.today() }), error: false });
      } else {
        state.messages.set(habit.id, { text: describe(error), error: true });
        render();
        return;
      }
    }
    // The streak and the days done, as the server counts them now.
    await load();
  }

  void load();
  return root;
}

type DayState = "done" | "missed" | "open" | "off" | "before";

/**
 * The last 28 days at a glance, oldest first, today last, a week to a row: done, missed (scheduled
 * and not done), today not yet done, not scheduled, or before the habit started. One image to
 * assistive technology, labelled with the count; each day's date and state in its tooltip.
 */
function recentDays(habit: HabitListItem, today: string): HTMLElement {
  const done = new Set(habit.recentCompletions);
  const days = Array.from({ length: 28 }, (_, i) => addDays(today, i - 27));
  const stateOf = (day: string): DayState =>
    done.has(day) ? "done"
      : day < habit.startDate ? "before"
      : habit.daysOfWeek.length > 0 && !habit.daysOfWeek.includes(weekday(day)) ? "off"
      : day === today ? "open"
      : "missed";
  const states = days.map(stateOf);
  const scheduled = states.filter((s) => s === "done" || s === "missed" || s === "open").length;
  const doneCount = states.filter((s) => s === "done").length;
  return h("div", { class: "recent-days", role: "img", "aria-label": t("habits.recent", { done: doneCount, scheduled }) },
    ...days.map((day, i) => h("span", {
      class: `day day--${states[i]}`, title: `${day}: ${t(`habits.day.${states[i]!}`)}`, dataset: { date: day, state: states[i]! },
    })));
}

function dayChoices(scope: string, selected: string[]): HTMLDivElement {
  return h("div", { class: "choices", dataset: { scope } },
    ...WEEKDAYS.map((d) => checkbox("daysOfWeek", t(`day.${d}`), selected.includes(d), d)));
}

function checked(container: HTMLElement): string[] {
  return [...container.querySelectorAll<HTMLInputElement>("input[type=checkbox]:checked")].map((c) => c.value);
}
