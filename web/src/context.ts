import type { Session } from "./auth";
import type { Preferences } from "./types";
import type { WelcomePage } from "./welcome";

/** What every page gets from the app. */
export interface PageContext {
  session: Session;
  /** The user's preferences (loaded at sign-in, refreshed when saved). */
  preferences(): Preferences | null;
  /** Stores them; true when the language changed and the page was rendered anew. */
  setPreferences(preferences: Preferences): boolean;
  /** A message for the page's status line after it is rendered again. */
  flash(message: string): void;
  /** Today (yyyy-MM-dd) in the user's time zone. */
  today(): string;
  /** The welcome bubble for an operation just done on this page. */
  operationDone(page: WelcomePage): void;
}
