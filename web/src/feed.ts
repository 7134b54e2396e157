// The coach feed: every prompt once (merged by id from the history, the catch-up list, live pushes
// and answers' follow-ups), oldest at the top and newest at the bottom, follow-ups threaded under
// the prompt they answer (replyTo). Acks: `delivered` when a prompt reaches this page, `seen` when
// its card is on screen while the page is visible.

import { ApiError, del, describe, get, post } from "./api";
import type { Session } from "./auth";
import { h, replaceChildren, uid } from "./dom";
import { formatTime, t } from "./i18n";
import type { Outbox, Outcome } from "./outbox";
import type { PromptPage, PromptState, PromptView } from "./types";

type FeedbackKind = "like" | "dislike" | "correction";

interface LocalState {
  /** An answer on its way: being sent now, or stored until the connection returns. */
  pending?: "sending" | "queued";
  /** What the user answered (the quick reply's text or their own words). */
  answerText?: string;
  error?: string;
  feedback?: FeedbackKind;
  feedbackError?: string;
  correcting?: boolean;
  draft?: string;
  correctionDraft?: string;
}

const RANK: Record<PromptState, number> = {
  scheduled: 0, pending: 0, delivered: 1, seen: 2, responded: 3, expired: 3, dismissed: 3, failed: 3,
};
const OPEN: ReadonlySet<PromptState> = new Set(["pending", "delivered", "seen"]);
const HIDDEN: ReadonlySet<PromptState> = new Set(["scheduled", "dismissed", "failed"]);
const CATCH_UP_STATES = "pending,delivered,seen";
/** How far before the last catch-up the next one looks (a prompt held by quiet hours is created long before it is delivered). */
const CATCH_UP_MARGIN_MS = 36 * 3600_000;
const FIRST_CATCH_UP_MS = 7 * 24 * 3600_000;

export class Feed {
  private readonly prompts = new Map<string, PromptView>();
  private readonly local = new Map<string, LocalState>();
  private readonly entries = new Map<string, { li: HTMLLIElement; card: HTMLElement; thread: HTMLOListElement; signature: string }>();
  private readonly acks = new Map<string, Promise<unknown>>();
  private readonly onScreen = new Set<string>();
  private readonly observer: IntersectionObserver;
  private readonly root: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly status: HTMLParagraphElement;
  private readonly announcer: HTMLParagraphElement;
  private lastCatchUpAt: number | null = null;
  private loaded = false;
  private loadError: string | null = null;
  private catchingUp: Promise<void> | null = null;

  constructor(private readonly session: Session, private readonly outbox: Outbox) {
    this.observer = new IntersectionObserver((records) => this.onIntersect(records), { threshold: [0, 0.25, 0.5, 0.75, 1] });
    this.list = h("ol", { class: "feed-list" });
    this.status = h("p", { class: "feed-status" });
    this.announcer = h("p", { class: "visually-hidden", role: "status" });
    this.root = h("section", { class: "feed", "aria-labelledby": "feed-title" });
    this.feedback = this.loadFeedback();
    outbox.onOutcome((o) => this.onOutcome(o));
    document.addEventListener("visibilitychange", () => this.checkSeen());
    this.build();
  }

  private feedback: Record<string, FeedbackKind>;

  /** The feed's element; the router mounts it (its state survives page changes). */
  element(): HTMLElement {
    return this.root;
  }

  mounted(): void {
    this.checkSeen();
    if (this.loaded) this.scrollToEnd();
  }

  /** Rebuilds every card (e.g. after the language changed). */
  rebuild(): void {
    this.entries.clear();
    this.build();
    this.render();
  }

  private build(): void {
    // Not a live region itself (cards are rebuilt as they change): new prompts are announced once, below.
    const log = h("div", { class: "feed-log", "aria-label": t("feed.log"), role: "region" }, this.list);
    replaceChildren(this.root, h("h1", { id: "feed-title", class: "page-title" }, t("feed.title")), this.status, log, this.announcer);
    this.list.replaceChildren();
  }

  /** The first load: the latest page of history, the open prompts, and what is still queued here. */
  async load(): Promise<void> {
    this.status.textContent = t("feed.loading");
    try {
      for (const item of await this.outbox.items()) {
        this.patchLocal(item.promptId, { pending: "queued", answerText: "value" in item.body ? undefined : item.body.text });
      }
      const page = await get<PromptPage>("/api/prompts?limit=50");
      for (const p of page.items) this.merge(p);
      await this.catchUp();
      this.loaded = true;
      this.loadError = null;
    } catch (error) {
      this.loadError = t("feed.loadFailed", { detail: describe(error) });
    }
    this.render();
    this.scrollToEnd();
  }

  /**
   * After every (re)connect: what is not yet acknowledged or answered, created since shortly before
   * the last catch-up, merged by id; plus the newest page, for prompts answered or dismissed elsewhere.
   */
  catchUp(): Promise<void> {
    this.catchingUp ??= (async () => {
      const startedAt = Date.now();
      const since = new Date(this.lastCatchUpAt === null ? startedAt - FIRST_CATCH_UP_MS : this.lastCatchUpAt - CATCH_UP_MARGIN_MS).toISOString();
      let token: string | undefined;
      let pages = 0;
      do {
        const query = new URLSearchParams({ state: CATCH_UP_STATES, since, limit: "100" });
        if (token) query.set("continuationToken", token);
        const page = await get<PromptPage>(`/api/prompts?${query}`);
        for (const p of page.items) this.merge(p);
        token = page.continuationToken;
        pages += 1;
      } while (token && pages < 10);
      if (this.lastCatchUpAt !== null) {
        for (const p of (await get<PromptPage>("/api/prompts?limit=20")).items) this.merge(p);
      }
      this.lastCatchUpAt = startedAt;
      this.render();
    })().finally(() => {
      this.catchingUp = null;
    });
    return this.catchingUp;
  }

  /** A prompt pushed over SignalR. */
  receive(prompt: PromptView): void {
    const isNew = !this.prompts.has(prompt.id);
    const atEnd = this.isAtEnd();
    this.merge(prompt);
    this.render();
    if (isNew) this.announce(prompt);
    if (isNew && atEnd) this.reveal(prompt.id);
  }

  /** Adds or updates a prompt; a state never moves backwards (a late push cannot undo an answer). */
  private merge(incoming: PromptView): void {
    const known = this.prompts.get(incoming.id);
    if (known && RANK[incoming.state] < RANK[known.state]) {
      this.prompts.set(incoming.id, { ...incoming, state: known.state, deliveredAt: known.deliveredAt, seenAt: known.seenAt, respondedAt: known.respondedAt, response: known.response });
    } else {
      this.prompts.set(incoming.id, incoming);
    }
    const prompt = this.prompts.get(incoming.id)!;
    if (prompt.state === "pending") this.ack(prompt.id, "delivered");
  }

  private ack(id: string, status: "delivered" | "seen"): Promise<unknown> {
    const key = `${id}:${status}`;
    let running = this.acks.get(key);
    if (running) return running;
    const before = status === "seen" ? this.acks.get(`${id}:delivered`) ?? Promise.resolve() : Promise.resolve();
    running = before
      .catch(() => {})
      .then(() => post<PromptView>(`/api/prompts/${encodeURIComponent(id)}/ack`, { status }))
      .then((view) => {
        this.merge(view);
        this.render();
      })
      .catch(() => {
        // Offline or refused: the next catch-up brings it back and tries again.
        this.acks.delete(key);
      });
    this.acks.set(key, running);
    return running;
  }

  private onIntersect(records: IntersectionObserverEntry[]): void {
    for (const r of records) {
      const id = (r.target as HTMLElement).dataset.promptId!;
      // On screen: half of the card, or (for a card taller than the screen) half of the screen.
      const screen = r.rootBounds?.height ?? window.innerHeight;
      if (r.isIntersecting && (r.intersectionRatio >= 0.5 || r.intersectionRect.height >= screen / 2)) this.onScreen.add(id);
      else this.onScreen.delete(id);
    }
    this.checkSeen();
  }

  private checkSeen(): void {
    if (document.visibilityState !== "visible" || !this.root.isConnected) return;
    for (const id of this.onScreen) {
      const prompt = this.prompts.get(id);
      if (prompt && (prompt.state === "pending" || prompt.state === "delivered")) void this.ack(id, "seen");
    }
  }

  // ---- answers -----------------------------------------------------------------------------

  private async answer(prompt: PromptView, body: { value: string } | { text: string }, shown: string): Promise<void> {
    this.patchLocal(prompt.id, { pending: navigator.onLine ? "sending" : "queued", answerText: shown, error: undefined, draft: undefined });
    this.render();
    await this.outbox.enqueue(prompt.id, body);
    await this.outbox.flush();
    const local = this.local.get(prompt.id);
    if (local?.pending === "sending") {
      this.patchLocal(prompt.id, { pending: "queued" });
      this.render();
    }
  }

  /** Flushes the queue (called when the connection is back). */
  flushAnswers(): Promise<void> {
    return this.outbox.flush();
  }

  private onOutcome(outcome: Outcome): void {
    const id = outcome.item.promptId;
    const prompt = this.prompts.get(id);
    if (outcome.kind === "sent") {
      const { result } = outcome;
      if (prompt) this.prompts.set(id, { ...prompt, state: "responded", response: result.action, respondedAt: new Date().toISOString() });
      this.patchLocal(id, { pending: undefined, error: undefined });
      if (result.followUp) {
        const atEnd = this.isAtEnd();
        const isNew = !this.prompts.has(result.followUp.id);
        this.merge(result.followUp);
        this.render();
        if (isNew) this.announce(result.followUp);
        if (atEnd) this.reveal(result.followUp.id);
        return;
      }
    } else if (outcome.kind === "conflict") {
      // Answered without this key (elsewhere, or by an older client), dismissed or expired, or the
      // key holds another request (422): what this device answered is not what the server has, so
      // the card shows the server's prompt as it is.
      this.patchLocal(id, { pending: undefined, answerText: undefined });
      void this.refresh(id);
    } else {
      this.patchLocal(id, { pending: undefined, error: outcome.error.message });
    }
    this.render();
  }

  private async refresh(id: string): Promise<void> {
    try {
      this.merge(await get<PromptView>(`/api/prompts/${encodeURIComponent(id)}`));
      await this.catchUp();
    } catch {
      /* shown as it was */
    }
    this.render();
  }

  // ---- feedback and dismiss ------------------------------------------------------------------

  private async sendFeedback(prompt: PromptView, kind: FeedbackKind, text?: string): Promise<void> {
    try {
      await post(`/api/prompts/${encodeURIComponent(prompt.id)}/feedback`, text === undefined ? { kind } : { kind, text });
      this.feedback[prompt.id] = kind;
      this.saveFeedback();
      this.patchLocal(prompt.id, { feedback: kind, feedbackError: undefined, correcting: false, correctionDraft: undefined });
    } catch (error) {
      this.patchLocal(prompt.id, { feedbackError: describe(error) });
    }
    this.render();
  }

  private async dismiss(prompt: PromptView): Promise<void> {
    try {
      await del(`/api/prompts/${encodeURIComponent(prompt.id)}`);
      const next = this.neighbour(prompt.id);
      this.prompts.set(prompt.id, { ...prompt, state: "dismissed" });
      this.render();
      (next ?? document.getElementById("feed-title"))?.focus();
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        await this.refresh(prompt.id);
        return;
      }
      this.patchLocal(prompt.id, { error: describe(error) });
      this.render();
    }
  }

  private neighbour(id: string): HTMLElement | null {
    const li = this.entries.get(id)?.li;
    const sibling = (li?.nextElementSibling ?? li?.previousElementSibling) as HTMLElement | null;
    return sibling?.querySelector<HTMLElement>("article") ?? null;
  }

  private loadFeedback(): Record<string, FeedbackKind> {
    try {
      return JSON.parse(localStorage.getItem(`coach.feedback.${this.session.userId}`) ?? "{}") as Record<string, FeedbackKind>;
    } catch {
      return {};
    }
  }

  private saveFeedback(): void {
    localStorage.setItem(`coach.feedback.${this.session.userId}`, JSON.stringify(this.feedback));
  }

  private patchLocal(id: string, patch: Partial<LocalState>): void {
    this.local.set(id, { ...this.local.get(id), ...patch });
  }

  // ---- rendering ------------------------------------------------------------------------------

  private visible(p: PromptView): boolean {
    return !HIDDEN.has(p.state);
  }

  /** Keyed update: a card is rebuilt only when its prompt or local state changed; nodes move only when out of order. */
  private render(): void {
    const shown = [...this.prompts.values()].filter((p) => this.visible(p));
    const ids = new Set(shown.map((p) => p.id));
    const children = new Map<string, PromptView[]>();
    const top: PromptView[] = [];
    for (const p of shown) {
      if (p.replyTo && ids.has(p.replyTo)) {
        const list = children.get(p.replyTo) ?? [];
        list.push(p);
        children.set(p.replyTo, list);
      } else {
        top.push(p);
      }
    }
    const byTime = (a: PromptView, b: PromptView) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

    for (const [id, entry] of this.entries) {
      if (!ids.has(id)) {
        this.observer.unobserve(entry.card);
        this.onScreen.delete(id);
        entry.li.remove();
        this.entries.delete(id);
      }
    }
    const place = (container: HTMLOListElement, prompts: PromptView[]) => {
      prompts.sort(byTime);
      prompts.forEach((p, index) => {
        const entry = this.entry(p, container !== this.list);
        const at = container.children[index];
        if (at !== entry.li) container.insertBefore(entry.li, at ?? null);
        place(entry.thread, children.get(p.id) ?? []);
      });
      while (container.children.length > prompts.length) container.lastElementChild!.remove();
    };
    place(this.list, top);

    if (this.loadError) this.status.textContent = this.loadError;
    else if (!this.loaded) this.status.textContent = t("feed.loading");
    else this.status.textContent = shown.length === 0 ? t("feed.empty") : "";
    this.status.hidden = this.status.textContent === "";
    this.checkSeen();
  }

  private entry(p: PromptView, isFollowUp: boolean) {
    const local = this.local.get(p.id) ?? {};
    const signature = JSON.stringify([p, local, this.feedback[p.id], isFollowUp]);
    const existing = this.entries.get(p.id);
    if (existing && existing.signature === signature) return existing;

    const card = this.card(p, local, isFollowUp);
    if (existing) {
      const active = document.activeElement;
      const focusKey = active instanceof HTMLElement && existing.card.contains(active) ? active.dataset.focus : undefined;
      this.observer.unobserve(existing.card);
      existing.card.replaceWith(card);
      existing.card = card;
      existing.signature = signature;
      this.observer.observe(card);
      if (focusKey) (card.querySelector<HTMLElement>(`[data-focus="${focusKey}"]`) ?? card).focus();
      return existing;
    }
    const thread = h("ol", { class: "thread" });
    const li = h("li", { class: "entry" }, card, thread);
    const entry = { li, card, thread, signature };
    this.entries.set(p.id, entry);
    this.observer.observe(card);
    return entry;
  }

  private card(p: PromptView, local: LocalState, isFollowUp: boolean): HTMLElement {
    const titleId = uid("prompt-title");
    const expired = p.state === "expired" || (OPEN.has(p.state) && !!p.expiresAt && Date.parse(p.expiresAt) <= Date.now());
    const open = OPEN.has(p.state) && !expired && !local.pending;
    const kind = p.type === "milestone_reached" ? "milestone" : p.type === "weekly_review" ? "review" : null;

    const article = h("article", {
      class: `prompt prompt--${p.type}${kind ? " prompt--card" : ""}${isFollowUp ? " prompt--followup" : ""}${open ? "" : " prompt--closed"}`,
      "aria-labelledby": titleId,
      tabindex: "-1",
      lang: p.locale || null,
      dataset: { promptId: p.id, state: p.state },
    });

    const header = h("header", { class: "prompt-head" },
      kind ? h("span", { class: "badge", "aria-hidden": "true" }, kind === "milestone" ? "🏆" : "📅") : null,
      h("h2", { id: titleId, class: "prompt-title" }, p.title),
      h("time", { class: "prompt-time", datetime: p.createdAt }, formatTime(p.createdAt)),
    );
    article.append(header);
    if (isFollowUp) article.append(h("p", { class: "visually-hidden" }, t("prompt.followUp")));
    if (kind) article.append(this.cardFacts(p, kind));
    article.append(h("p", { class: "prompt-message" }, p.message));

    if (open && p.quickReplies.length > 0) {
      article.append(h("div", { class: "quick-replies", role: "group", "aria-label": t("prompt.quickReplies") },
        ...p.quickReplies.map((r) => h("button", {
          type: "button", class: "quick-reply", dataset: { value: r.value, focus: `reply-${r.value}` },
          on: { click: () => void this.answer(p, { value: r.value }, r.text) },
        }, r.text))));
    }
    if (open) article.append(this.replyForm(p, local));

    if (local.pending) {
      article.append(h("p", { class: "answer" }, t("prompt.answered", { answer: local.answerText ?? "…" })));
      article.append(h("p", { class: `pending pending--${local.pending}`, role: "status" }, local.pending === "queued" ? t("prompt.queued") : t("prompt.sending")));
    } else if (p.state === "responded") {
      const text = local.answerText ?? p.quickReplies.find((r) => r.value === p.response)?.text;
      article.append(h("p", { class: "answer" }, text ? t("prompt.answered", { answer: text }) : t("prompt.answeredPlain")));
    } else if (expired) {
      article.append(h("p", { class: "expired" }, t("prompt.expired")));
    }
    if (local.error) article.append(h("p", { class: "error", role: "alert" }, t("prompt.failed", { detail: local.error })));

    article.append(this.feedbackBar(p, local));
    if (OPEN.has(p.state) && !local.pending) {
      article.append(h("button", {
        type: "button", class: "dismiss", "aria-label": t("prompt.dismissLabel", { title: p.title }), title: t("prompt.dismiss"),
        dataset: { focus: "dismiss" }, on: { click: () => void this.dismiss(p) },
      }, "✕"));
    }
    return article;
  }

  private cardFacts(p: PromptView, kind: "milestone" | "review"): HTMLElement {
    const facts: string[] = [kind === "milestone" ? t("card.milestone") : t("card.weeklyReview")];
    if (p.facts.habitName) facts.push(t("card.habit", { name: p.facts.habitName }));
    if (typeof p.facts.streak === "number") facts.push(t("card.streak", { n: p.facts.streak }));
    if (typeof p.facts.goalDays === "number") facts.push(t("card.goal", { n: p.facts.goalDays }));
    if (typeof p.facts.week === "string") facts.push(t("card.week", { week: p.facts.week }));
    return h("ul", { class: "card-facts" }, ...facts.map((f) => h("li", null, f)));
  }

  private replyForm(p: PromptView, local: LocalState): HTMLElement {
    const inputId = uid("reply");
    const input = h("input", {
      id: inputId, type: "text", class: "reply-input", maxlength: "1000", autocomplete: "off",
      value: local.draft ?? "", dataset: { focus: "reply-text" },
      on: { input: (e) => this.patchLocal(p.id, { draft: (e.target as HTMLInputElement).value }) },
    });
    return h("form", {
      class: "reply-form",
      on: {
        submit: (e) => {
          e.preventDefault();
          const text = input.value.trim();
          if (text) void this.answer(p, { text }, text);
        },
      },
    },
    h("label", { for: inputId, class: "reply-label" }, t("prompt.replyLabel")),
    input,
    h("button", { type: "submit", class: "secondary", dataset: { focus: "reply-send" } }, t("prompt.replySend")));
  }

  private feedbackBar(p: PromptView, local: LocalState): HTMLElement {
    const given = local.feedback ?? this.feedback[p.id];
    const button = (kind: FeedbackKind, emoji: string, label: string) => h("button", {
      type: "button", class: "feedback-button", "aria-label": label, title: label,
      ...(kind === "correction"
        ? { "aria-expanded": String(!!local.correcting), "data-given": given === "correction" ? "true" : null }
        : { "aria-pressed": String(given === kind) }),
      dataset: { kind, focus: `feedback-${kind}` },
      on: {
        click: () => {
          if (kind === "correction") {
            this.patchLocal(p.id, { correcting: !local.correcting });
            this.render();
            document.querySelector<HTMLElement>(`[data-prompt-id="${p.id}"] [data-focus="correction-text"]`)?.focus();
          } else {
            void this.sendFeedback(p, kind);
          }
        },
      },
    }, emoji);

    const bar = h("div", { class: "feedback" },
      h("div", { class: "feedback-buttons", role: "group", "aria-label": t("prompt.feedback") },
        button("like", "👍", t("prompt.like")),
        button("dislike", "👎", t("prompt.dislike")),
        button("correction", "✏️", t("prompt.correct"))),
    );
    if (local.correcting) {
      const id = uid("correction");
      const area = h("textarea", {
        id, rows: "2", maxlength: "500", class: "correction-input", dataset: { focus: "correction-text" },
        on: { input: (e) => this.patchLocal(p.id, { correctionDraft: (e.target as HTMLTextAreaElement).value }) },
      });
      area.value = local.correctionDraft ?? "";
      bar.append(h("form", {
        class: "correction-form",
        on: {
          submit: (e) => {
            e.preventDefault();
            const text = area.value.trim();
            if (text) void this.sendFeedback(p, "correction", text);
          },
        },
      }, h("label", { for: id }, t("prompt.correctionLabel")), area,
      h("button", { type: "submit", class: "secondary", dataset: { focus: "correction-send" } }, t("prompt.correctionSend"))));
    }
    if (given && !local.correcting) bar.append(h("p", { class: "feedback-thanks", role: "status" }, t("prompt.feedbackThanks")));
    if (local.feedbackError) bar.append(h("p", { class: "error", role: "alert" }, local.feedbackError));
    return bar;
  }

  private announce(p: PromptView): void {
    if (this.visible(p)) this.announcer.textContent = t("feed.new", { title: p.title, message: p.message });
  }

  private isAtEnd(): boolean {
    return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 160;
  }

  private reveal(id: string): void {
    const card = this.entries.get(id)?.card;
    if (card && this.root.isConnected) card.scrollIntoView({ block: "nearest" });
  }

  private scrollToEnd(): void {
    if (this.root.isConnected) window.scrollTo({ top: document.documentElement.scrollHeight });
  }
}
