// Who is signed in. The bearer token lives in sessionStorage only (gone when the tab closes), is
// sent only in the Authorization header, and is never put in a URL or logged.
//
// Two ways in: the local host's development sign-in (POST /api/dev/token), and OpenID Connect
// (Entra ID) with oidc-client-ts when /config.json names an authority (the server's Auth__Authority).

import { request } from "./api";

export interface Session {
  accessToken: string;
  expiresAt: string;
  userId: string;
  roles: string[];
  via: "dev" | "oidc";
}

const KEY = "coach.session";

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    if (!session.accessToken || Date.parse(session.expiresAt) <= Date.now()) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return session;
  } catch {
    return null;
  }
}

function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

export function isAdmin(session: Session | null): boolean {
  return !!session?.roles.includes("admin");
}

interface DevTokenResponse {
  accessToken: string;
  expiresAt: string;
  userId: string;
  roles: string[];
}

export async function devSignIn(userId: string, admin: boolean): Promise<Session> {
  const { data } = await request<DevTokenResponse>("POST", "/api/dev/token", {
    body: { userId, roles: admin ? ["admin"] : [] },
    anonymous: true,
  });
  const session: Session = { accessToken: data.accessToken, expiresAt: data.expiresAt, userId: data.userId, roles: data.roles ?? [], via: "dev" };
  saveSession(session);
  return session;
}

// ---- OpenID Connect -------------------------------------------------------------------------

export interface OidcConfig {
  authority: string;
  clientId: string;
  /** e.g. "openid profile api://<api-client-id>/user_impersonation" */
  scope: string;
}

interface ClientConfig {
  oidc?: OidcConfig;
}

let configPromise: Promise<ClientConfig> | null = null;

/** /config.json beside index.html (deployments write it; the local host has none: dev sign-in only). */
export function clientConfig(): Promise<ClientConfig> {
  configPromise ??= fetch("/config.json", { cache: "no-store", credentials: "omit" })
    .then(async (r) => (r.ok && (r.headers.get("content-type") ?? "").includes("json") ? ((await r.json()) as ClientConfig) : {}))
    .catch(() => ({}));
  return configPromise;
}

async function userManager(config: OidcConfig) {
  const { UserManager, WebStorageStateStore } = await import("oidc-client-ts");
  return new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    scope: config.scope,
    redirect_uri: `${location.origin}/`,
    post_logout_redirect_uri: `${location.origin}/`,
    response_type: "code",
    userStore: new WebStorageStateStore({ store: sessionStorage }),
    stateStore: new WebStorageStateStore({ store: sessionStorage }),
    automaticSilentRenew: false,
  });
}

export async function oidcSignIn(config: OidcConfig): Promise<void> {
  await (await userManager(config)).signinRedirect();
}

/** After the identity provider redirects back with ?code=&state=: finish sign-in and clean the URL. */
export async function completeOidcSignIn(): Promise<Session | null> {
  const params = new URLSearchParams(location.search);
  if (!params.has("code") || !params.has("state")) return null;
  const { oidc } = await clientConfig();
  if (!oidc) return null;
  try {
    const user = await (await userManager(oidc)).signinRedirectCallback();
    const claims = decodeJwtPayload(user.access_token);
    const session: Session = {
      accessToken: user.access_token,
      expiresAt: new Date((user.expires_at ?? Date.now() / 1000 + 3600) * 1000).toISOString(),
      userId: String(claims.sub ?? claims.oid ?? user.profile.sub),
      roles: Array.isArray(claims.roles) ? (claims.roles as string[]) : [],
      via: "oidc",
    };
    saveSession(session);
    return session;
  } finally {
    history.replaceState(null, "", location.pathname + location.hash);
  }
}

function decodeJwtPayload(token: string): Record<string, unknown> {
  try {
    const part = token.split(".")[1] ?? "";
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    return JSON.parse(decodeURIComponent(Array.from(json, (c) => "%" + c.charCodeAt(0).toString(16).padStart(2, "0")).join(""))) as Record<string, unknown>;
  } catch {
    return {};
  }
}
