// Seed 002's welcome bubble: POST /api/welcome {page, trigger} asks the coach for one short
// greeting for this page. The server caches it (30 min per user and page) and enforces the
// cooldowns (60 s timed, 10 s after an operation); the client asks at most that often too. Any
// answer but a 2xx with text shows nothing (the route may not exist yet: 404). At most 40
// characters are shown.

import { request } from "./api";
import { h, replaceChildren, truncateGraphemes } from "./dom";
import { t } from "./i18n";

export const WELCOME_MAX = 40;
const COOLDOWN_MS = { page_change: 60_000, operation_complete: 10_000 } as const;
type Trigger = keyof typeof COOLDOWN_MS;

interface WelcomeAnswer {
  message?: string;
  text?: string;
  content?: string;
}

export class Welcome {
  private readonly last = new Map<string, number>();
  private generation = 0;

  constructor(private readonly slot: HTMLElement) {}

  async ask(page: string, trigger: Trigger): Promise<void> {
    const key = `${page}:${trigger}`;
    const now = Date.now();
    if (now - (this.last.get(key) ?? -Infinity) < COOLDOWN_MS[trigger]) return;
    this.last.set(key, now);
    const generation = ++this.generation;
    let text: string | undefined;
    try {
      const { status, data } = await request<WelcomeAnswer | null>("POST", "/api/welcome", { body: { page, trigger } });
      if (status < 200 || status >= 300 || !data) return;
      text = [data.message, data.text, data.content].find((v): v is string => typeof v === "string" && v.trim() !== "");
    } catch {
      return;
    }
    if (!text || generation !== this.generation) return;
    this.show(text);
  }

  /** A new page: the old page's bubble goes. */
  clear(): void {
    this.generation++;
    this.slot.replaceChildren();
  }

  private show(text: string): void {
    const bubble = h("aside", { class: "welcome", "aria-label": t("welcome.label") },
      h("span", { class: "welcome-avatar", "aria-hidden": "true" }, "💬"),
      h("p", { class: "welcome-text", role: "status" }, truncateGraphemes(text, WELCOME_MAX)),
      h("button", { type: "button", class: "welcome-close", "aria-label": t("welcome.close"), on: { click: () => this.clear() } }, "✕"));
    replaceChildren(this.slot, bubble);
  }
}
