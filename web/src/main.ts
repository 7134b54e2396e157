// The app shell: sign-in, the header (navigation, connection status, account), hash routes
// (#/feed, #/habits, #/preferences, #/admin), the live connection and the offline answer queue.

import "./styles.css";
import { ApiError, configureApi, describe, get } from "./api";
import { clearSession, clientConfig, completeOidcSignIn, devSignIn, isAdmin, loadSession, oidcSignIn, type Session } from "./auth";
import { todayIn } from "./dates";
import type { PageContext } from "./context";
import { h, replaceChildren } from "./dom";
import { Feed } from "./feed";
import { checkbox, field, showErrors } from "./forms";
import { habitsPage } from "./habits";
import { guessLocale, locale, setLocale, t, toLocale, type MessageKey } from "./i18n";
import { Live, type ConnectionStatus } from "./live";
import { Outbox } from "./outbox";
import { preferencesPage } from "./preferences";
import type { Preferences } from "./types";
import { Welcome, type WelcomePage } from "./welcome";

type Route = WelcomePage;
const ROUTES: { route: Route; key: MessageKey; adminOnly?: boolean }[] = [
  { route: "feed", key: "nav.feed" },
  { route: "habits", key: "nav.habits" },
  { route: "preferences", key: "nav.preferences" },
  { route: "admin", key: "nav.admin", adminOnly: true },
];

const main = document.getElementById("main")!;
const nav = document.getElementById("nav")!;
const conn = document.getElementById("conn")!;
const account = document.getElementById("account")!;
const brand = document.getElementById("brand")!;
const skip = document.getElementById("skip-link")!;
const welcome = new Welcome(document.getElementById("welcome-slot")!);

let session: Session | null = null;
let app: SignedIn | null = null;

configureApi(() => session?.accessToken ?? null, () => {
  if (session) signOut(t("signin.expired"));
});

function shellText(): void {
  brand.textContent = `🌱 ${t("app.title")}`;
  skip.textContent = t("skip");
  nav.setAttribute("aria-label", t("nav.label"));
}

// ---- sign-in ---------------------------------------------------------------------------------

async function signInPage(notice?: string): Promise<void> {
  document.title = `${t("signin.title")} · ${t("app.title")}`;
  nav.hidden = true;
  conn.hidden = true;
  account.hidden = true;
  const userId = h("input", { type: "text", autocomplete: "username", maxlength: "64", required: true, autocapitalize: "off", spellcheck: "false" });
  const admin = checkbox("admin", t("signin.admin"), false);
  const status = h("p", { class: "page-status", role: "status" }, notice ?? "");
  const form: HTMLFormElement = h("form", {
    class: "signin card-form", novalidate: true, "aria-labelledby": "signin-title",
    on: {
      submit: async (e) => {
        e.preventDefault();
        status.textContent = "";
        try {
          session = await devSignIn(userId.value.trim(), admin.querySelector("input")!.checked);
          await startApp();
        } catch (error) {
          if (error instanceof ApiError && Object.keys(error.errors).length) {
            showErrors(form, error.errors);
          }
          status.textContent = t("signin.failed", { detail: describe(error) });
        }
      },
    },
  },
  h("h1", { id: "signin-title", class: "page-title", tabindex: "-1" }, t("signin.title")),
  h("p", null, t("signin.intro")),
  status,
  field("userId", t("signin.userId"), userId, t("signin.userIdHelp")),
  admin,
  h("button", { type: "submit", class: "primary" }, t("signin.submit")));

  replaceChildren(main, form);
  const { oidc } = await clientConfig();
  if (oidc) {
    form.after(h("p", { class: "oidc" }, h("button", { type: "button", class: "secondary", on: { click: () => void oidcSignIn(oidc) } }, t("signin.oidc"))));
  }
  userId.focus();
}

function signOut(notice?: string): void {
  void app?.stop();
  app = null;
  session = null;
  clearSession();
  welcome.leave();
  history.replaceState(null, "", location.pathname);
  void signInPage(notice);
}

// ---- signed in -------------------------------------------------------------------------------

class SignedIn implements PageContext {
  private prefs: Preferences | null = null;
  private readonly outbox: Outbox;
  private readonly feed: Feed;
  private readonly live: Live;
  private route: Route = "feed";
  private pending: string | null = null;

  constructor(readonly session: Session) {
    this.outbox = new Outbox(session.userId);
    this.feed = new Feed(session, this.outbox);
    // An answer the server took is an operation on the feed (for the welcome bubble).
    this.outbox.onOutcome((o) => {
      if (o.kind === "sent" && this.route === "feed") welcome.operationDone("feed");
    });
    // Earlier builds counted streaks from check-ins kept on the device; the server has them now.
    localStorage.removeItem(`coach.checkins.${session.userId}`);
    this.live = new Live(() => this.session.accessToken, {
      onPrompt: (p) => this.feed.receive(p),
      onConnected: () => void this.feed.catchUp().catch(() => {}).then(() => this.feed.flushAnswers()),
      onStatus: (s) => this.showStatus(s),
    });
    window.addEventListener("hashchange", this.onHash);
    window.addEventListener("online", this.onOnline);
  }

  async start(): Promise<void> {
    try {
      this.prefs = await get<Preferences>("/api/preferences");
      setLocale(toLocale(this.prefs.locale));
    } catch {
      /* the feed says what is wrong */
    }
    this.chrome();
    this.showStatus(this.live.current);
    this.navigate(false);
    await this.feed.load();
    this.live.start();
  }

  async stop(): Promise<void> {
    window.removeEventListener("hashchange", this.onHash);
    window.removeEventListener("online", this.onOnline);
    await this.live.stop();
  }

  preferences(): Preferences | null {
    return this.prefs;
  }

  setPreferences(preferences: Preferences): boolean {
    const before = locale();
    this.prefs = preferences;
    const next = toLocale(preferences.locale);
    if (next === before) return false;
    setLocale(next);
    this.chrome();
    this.showStatus(this.live.current);
    this.feed.rebuild();
    this.show(this.route, false);
    return true;
  }

  flash(message: string): void {
    this.pending = message;
    this.applyFlash();
  }

  today(): string {
    return todayIn(this.prefs?.timeZone ?? "UTC");
  }

  operationDone(page: WelcomePage): void {
    welcome.operationDone(page);
  }

  private readonly onOnline = () => void this.feed.flushAnswers();

  private readonly onHash = () => this.navigate(true);

  private navigate(moveFocus: boolean): void {
    const wanted = location.hash.replace(/^#\/?/, "") || "feed";
    const known = ROUTES.find((r) => r.route === wanted && (!r.adminOnly || isAdmin(this.session)));
    if (!known) {
      history.replaceState(null, "", "#/feed");
      this.show("feed", moveFocus);
      return;
    }
    this.show(known.route, moveFocus);
  }

  private show(route: Route, moveFocus: boolean): void {
    this.route = route;
    const entry = ROUTES.find((r) => r.route === route)!;
    document.title = `${t(entry.key)} · ${t("app.title")}`;
    for (const a of nav.querySelectorAll("a")) {
      if (a.dataset.route === route) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    let page: HTMLElement;
    switch (route) {
      case "habits": page = habitsPage(this); break;
      case "preferences": page = preferencesPage(this); break;
      case "admin": page = h("div", { class: "page-loading" }, t("feed.loading")); void this.admin(moveFocus); break;
      default: page = this.feed.element();
    }
    replaceChildren(main, page);
    if (route === "feed") this.feed.mounted();
    this.applyFlash();
    const heading = main.querySelector<HTMLElement>("h1");
    heading?.setAttribute("tabindex", "-1");
    if (moveFocus) heading?.focus({ preventScroll: route === "feed" });
    welcome.open(route);
  }

  private async admin(moveFocus: boolean): Promise<void> {
    const { adminPage } = await import("./admin");
    if (this.route !== "admin") return;
    replaceChildren(main, adminPage(this));
    const heading = main.querySelector<HTMLElement>("h1");
    heading?.setAttribute("tabindex", "-1");
    if (moveFocus) heading?.focus();
  }

  private applyFlash(): void {
    if (!this.pending) return;
    const line = main.querySelector<HTMLElement>(".page-status");
    if (line) {
      line.textContent = this.pending;
      this.pending = null;
    }
  }

  private chrome(): void {
    shellText();
    replaceChildren(nav, h("ul", null, ...ROUTES.filter((r) => !r.adminOnly || isAdmin(this.session)).map((r) =>
      h("li", null, h("a", { href: `#/${r.route}`, dataset: { route: r.route }, "aria-current": r.route === this.route ? "page" : null }, t(r.key))))));
    nav.hidden = false;
    replaceChildren(account,
      h("span", { class: "who" }, t("account.signedInAs", { user: this.session.userId })),
      h("button", { type: "button", class: "link", on: { click: () => signOut() } }, t("account.signOut")));
    account.hidden = false;
    conn.hidden = false;
  }

  private showStatus(status: ConnectionStatus): void {
    const key: MessageKey = status === "connected" ? "conn.connected" : status === "reconnecting" ? "conn.reconnecting" : status === "connecting" ? "conn.connecting" : "conn.offline";
    conn.dataset.status = status;
    replaceChildren(conn, h("span", { class: "dot", "aria-hidden": "true" }), t(key));
  }
}

async function startApp(): Promise<void> {
  if (!session) return;
  app = new SignedIn(session);
  if (!location.hash) history.replaceState(null, "", "#/feed");
  await app.start();
}

async function boot(): Promise<void> {
  setLocale(guessLocale());
  shellText();
  try {
    session = (await completeOidcSignIn()) ?? loadSession();
  } catch {
    session = loadSession();
  }
  if (session) await startApp();
  else await signInPage();
}

void boot();
