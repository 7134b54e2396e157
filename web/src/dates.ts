// Local calendar days as the API writes them (yyyy-MM-dd in the user's IANA zone).

import { WEEKDAYS } from "./types";

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

/** The weekday's name as the API spells it (monday ... sunday). */
export function weekday(date: string): (typeof WEEKDAYS)[number] {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday; WEEKDAYS starts on Monday
  return WEEKDAYS[(d + 6) % 7]!;
}
