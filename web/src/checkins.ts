// Check-ins this device knows of, per user and habit, for the habits page's streak. The API has
// no list of completions (GET /api/habits returns the habits only), so the streak is counted from
// check-ins recorded here, days the server refused as "already recorded", completions returned by
// quick replies, and the server's own streak figure from those replies.

import { WEEKDAYS } from "./types";

interface Known {
  dates: string[];
  /** The server's streak from a complete_now answer, and the day it counts up to. */
  serverStreak?: { value: number; through: string };
}

const key = (userId: string) => `coach.checkins.${userId}`;

function load(userId: string): Record<string, Known> {
  try {
    return JSON.parse(localStorage.getItem(key(userId)) ?? "{}") as Record<string, Known>;
  } catch {
    return {};
  }
}

function save(userId: string, all: Record<string, Known>): void {
  localStorage.setItem(key(userId), JSON.stringify(all));
}

export function recordCheckIn(userId: string, habitId: string, date: string, serverStreak?: number): void {
  const all = load(userId);
  const known = (all[habitId] ??= { dates: [] });
  if (!known.dates.includes(date)) known.dates.push(date);
  known.dates.sort();
  if (serverStreak !== undefined) known.serverStreak = { value: serverStreak, through: date };
  save(userId, all);
}

export function knownDates(userId: string, habitId: string): Set<string> {
  return new Set(load(userId)[habitId]?.dates ?? []);
}

/** yyyy-MM-dd today in an IANA zone (the user's). */
export function todayIn(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function weekday(date: string): string {
  // 2024-01-01 was a Monday; WEEKDAYS starts on Monday.
  const d = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return WEEKDAYS[(d + 6) % 7]!;
}

/**
 * Consecutive scheduled days done, ending today (or yesterday while today is still open). Days not
 * in the schedule neither count nor break it.
 */
export function streak(userId: string, habitId: string, daysOfWeek: string[], startDate: string, today: string): number {
  const all = load(userId)[habitId];
  const done = new Set(all?.dates ?? []);
  const scheduled = (date: string) => daysOfWeek.length === 0 || daysOfWeek.includes(weekday(date));
  let day = today;
  if (!done.has(day)) day = addDays(day, -1);
  let count = 0;
  for (let i = 0; i < 1000 && day >= startDate; i++, day = addDays(day, -1)) {
    if (!scheduled(day)) continue;
    if (!done.has(day)) {
      // Before the days known here, the server's figure (from a quick reply) may go further back.
      const server = all?.serverStreak;
      if (server && count > 0 && addDays(day, 1) <= server.through) return Math.max(count, server.value + countAfter(done, server.through, today));
      break;
    }
    count += 1;
  }
  return count;
}

function countAfter(done: Set<string>, through: string, today: string): number {
  let n = 0;
  for (let day = addDays(through, 1); day <= today; day = addDays(day, 1)) if (done.has(day)) n += 1;
  return n;
}
