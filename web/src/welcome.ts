// Seed 002's welcome bubble: POST /api/welcome {page, trigger} answers 200 {text, page, source,
// generatedAt} with one short line for the page, or 204 inside a cooldown with nothing cached.
// The server decides what is new (README "API"): it caches a line per user and page for 30 min
// and lets a new one through at most every 60 s for `timer` and 10 s for `operation`, per user,
// whatever the number of tabs. The client asks:
// - `open` when a page is shown (the cached line while fresh, else a new one);
// - `operation` after the user did something there (a check-in, a save), at most every 10 s;
// - `timer` every TIMER_MS while the page stays open and the tab is visible (each one outside the
//   server's cooldown writes a new line: one LLM request, so not more often than that).
// The line is shown cut to 40 characters (grapheme clusters). A 204, an error or no connection
// leaves the bubble as it is; a line the user closed is not shown again.

import { request } from "./api";
import { h, replaceChildren, truncateGraphemes } from "./dom";
import { t } from "./i18n";

export const WELCOME_MAX = 40;
/** How often a page left open asks again (the server's timer cooldown is 60 s). */
export const TIMER_MS = 5 * 60_000;
/** The server's operation cooldown: asking sooner would only get the cached line back. */
const OPERATION_MS = 10_000;

export type WelcomePage = "feed" | "habits" | "preferences" | "admin";
type Trigger = "open" | "timer" | "operation";

interface WelcomeAnswer {
  text: string;
  page: string;
  source: "llm" | "template" | "cache";
  generatedAt: string;
}

export class Welcome {
  private page: WelcomePage | null = null;
  /** Bumped when the page changes: an answer for the page before is dropped. */
  private generation = 0;
  private timer: number | undefined;
  private lastOperationAt = -Infinity;
  private shown: string | null = null;
  private closed: string | null = null;

  constructor(private readonly slot: HTMLElement) {}

  /** A page was shown: its line, then a timer trigger every TIMER_MS while it stays. */
  open(page: WelcomePage): void {
    this.leave();
    this.page = page;
    this.timer = window.setInterval(() => {
      if (document.visibilityState === "visible") void this.ask("timer");
    }, TIMER_MS);
    void this.ask("open");
  }

  /** The user just did something on this page. */
  operationDone(page: WelcomePage): void {
    if (page !== this.page) return;
    const now = Date.now();
    if (now - this.lastOperationAt < OPERATION_MS) return;
    this.lastOperationAt = now;
    void this.ask("operation");
  }

  /** No page (signed out, or before the next one): the bubble and its timer go. */
  leave(): void {
    window.clearInterval(this.timer);
    this.timer = undefined;
    this.page = null;
    this.generation++;
    this.shown = null;
    this.slot.replaceChildren();
  }

  private async ask(trigger: Trigger): Promise<void> {
    const page = this.page;
    if (!page) return;
    const generation = this.generation;
    let answer: WelcomeAnswer | null;
    try {
      const { status, data } = await request<WelcomeAnswer | null>("POST", "/api/welcome", { body: { page, trigger } });
      answer = status === 200 ? data : null;
    } catch {
      return;
    }
    if (generation !== this.generation || answer?.page !== page || typeof answer.text !== "string" || answer.text.trim() === "") return;
    this.show(answer.text);
  }

  private show(text: string): void {
    if (text === this.shown || text === this.closed) return;
    this.shown = text;
    const bubble = h("aside", { class: "welcome", "aria-label": t("welcome.label") },
      h("span", { class: "welcome-avatar", "aria-hidden": "true" }, "💬"),
      h("p", { class: "welcome-text", role: "status" }, truncateGraphemes(text, WELCOME_MAX)),
      h("button", { type: "button", class: "welcome-close", "aria-label": t("welcome.close"), on: { click: () => this.close() } }, "✕"));
    replaceChildren(this.slot, bubble);
  }

  private close(): void {
    this.closed = this.shown;
    this.shown = null;
    this.slot.replaceChildren();
  }
}
