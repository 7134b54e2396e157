// Answers to prompts go out through this queue, online or not: each answer is stored (IndexedDB
// through idb-keyval, or localStorage where IndexedDB is unavailable) with its own Idempotency-Key
// (a UUID kept with it) before it is sent, and answers are sent one at a time, in the order given.
// Every attempt at one answer sends the same key and the same body, so an attempt whose reply was
// lost is not answered twice: the server replays its first answer (the same 200 and body, with
// `Idempotent-Replayed: true`), which counts as sent like any 2xx.
// An answer leaves the queue only when the server has decided on it: 2xx (done, first time or
// replayed), 409 (the prompt was answered without this key, dismissed or expired: the prompt is
// read again), 422 (the key holds another request: read the prompt again too), or another 4xx
// (refused for good). Network failures, 5xx, 429 and 401 leave it queued for the next flush (back
// online, reconnected). Only successes are recorded under a key, so a refused attempt is judged
// afresh when sent again.

import { createStore, get as idbGet, set as idbSet, type UseStore } from "idb-keyval";
import { ApiError, NetworkError, request } from "./api";
import type { RespondResult } from "./types";

export interface OutboxItem {
  key: string;
  promptId: string;
  body: { value: string } | { text: string };
  queuedAt: string;
}

export type Outcome =
  | { item: OutboxItem; kind: "sent"; result: RespondResult }
  /** 409 or 422: the server holds another outcome for this prompt or key; ask it for the prompt. */
  | { item: OutboxItem; kind: "conflict"; error: ApiError }
  | { item: OutboxItem; kind: "rejected"; error: ApiError };

type Storage = { read(): Promise<OutboxItem[]>; write(items: OutboxItem[]): Promise<void> };

function idbStorage(store: UseStore, key: string): Storage {
  return {
    read: async () => ((await idbGet<OutboxItem[]>(key, store)) ?? []),
    write: (items) => idbSet(key, items, store),
  };
}

function localStorageStorage(key: string): Storage {
  return {
    read: async () => {
      try {
        return JSON.parse(localStorage.getItem(key) ?? "[]") as OutboxItem[];
      } catch {
        return [];
      }
    },
    write: async (items) => localStorage.setItem(key, JSON.stringify(items)),
  };
}

export class Outbox {
  private storage: Storage | null = null;
  private flushing: Promise<void> | null = null;
  private again = false;
  private readonly listeners = new Set<(outcome: Outcome) => void>();
  private readonly changeListeners = new Set<(items: OutboxItem[]) => void>();

  constructor(private readonly userId: string) {}

  private async store(): Promise<Storage> {
    if (this.storage) return this.storage;
    const key = `outbox:${this.userId}`;
    try {
      const store = createStore("coach", "outbox");
      const candidate = idbStorage(store, key);
      await candidate.read(); // throws where IndexedDB is unavailable
      this.storage = candidate;
    } catch {
      this.storage = localStorageStorage(`coach.${key}`);
    }
    return this.storage;
  }

  onOutcome(listener: (outcome: Outcome) => void): void {
    this.listeners.add(listener);
  }

  onChange(listener: (items: OutboxItem[]) => void): void {
    this.changeListeners.add(listener);
  }

  async items(): Promise<OutboxItem[]> {
    return (await this.store()).read();
  }

  /** Queues an answer (durably) and returns it; call flush() to send. */
  async enqueue(promptId: string, body: OutboxItem["body"]): Promise<OutboxItem> {
    const item: OutboxItem = { key: uuid(), promptId, body, queuedAt: new Date().toISOString() };
    await this.withLock(async () => {
      const storage = await this.store();
      const items = await storage.read();
      items.push(item);
      await storage.write(items);
      this.emitChange(items);
    });
    return item;
  }

  /** Sends what is queued, oldest first, stopping at the first answer that cannot be sent now. */
  flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      try {
        do {
          this.again = false;
          await this.withLock(() => this.sendAll());
        } while (this.again);
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  private async sendAll(): Promise<void> {
    const storage = await this.store();
    for (;;) {
      const items = await storage.read();
      const item = items[0];
      if (!item) return;
      let outcome: Outcome;
      try {
        const { data } = await request<RespondResult>("POST", `/api/prompts/${encodeURIComponent(item.promptId)}/respond`, {
          body: item.body,
          headers: { "Idempotency-Key": item.key },
        });
        outcome = { item, kind: "sent", result: data };
      } catch (error) {
        if (error instanceof NetworkError) return;
        if (!(error instanceof ApiError)) return;
        if (error.status === 429 || error.status >= 500 || error.status === 401) return;
        outcome = error.status === 409 || error.status === 422 ? { item, kind: "conflict", error } : { item, kind: "rejected", error };
      }
      const rest = (await storage.read()).filter((i) => i.key !== item.key);
      await storage.write(rest);
      this.emitChange(rest);
      for (const listener of this.listeners) listener(outcome);
    }
  }

  /** One tab at a time works on the queue (Web Locks where available). */
  private async withLock<T>(work: () => Promise<T>): Promise<T> {
    if (navigator.locks?.request) {
      return navigator.locks.request(`coach-outbox:${this.userId}`, work) as Promise<T>;
    }
    return work();
  }

  private emitChange(items: OutboxItem[]): void {
    for (const listener of this.changeListeners) listener(items);
  }
}

/** A version 4 UUID (crypto.randomUUID needs a secure context; getRandomValues does not). */
export function uuid(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
