// /config.json beside index.html: deployments write it (scripts/publish.sh), the local host serves
// none. `apiBaseUrl` is the API's origin when the client is served from another one (a Static Web
// App in front of the function app); without it the API is on this origin (the local host).
// `oidc` turns on OpenID Connect sign-in.

export interface OidcConfig {
  authority: string;
  clientId: string;
  /** e.g. "openid profile api://<api-client-id>/user_impersonation" */
  scope: string;
}

export interface ClientConfig {
  /** Absolute http(s) URL of the API's host, without a trailing slash: `${apiBaseUrl}/api/...`. */
  apiBaseUrl?: string;
  oidc?: OidcConfig;
}

let configPromise: Promise<ClientConfig> | null = null;

export function clientConfig(): Promise<ClientConfig> {
  configPromise ??= fetch("/config.json", { cache: "no-store", credentials: "omit" }).then(
    async (r) => (r.ok && (r.headers.get("content-type") ?? "").includes("json") ? normalize(await r.json()) : {}),
    () => {
      // No answer at all (offline): ask again next time instead of settling on "same origin".
      configPromise = null;
      return {};
    },
  );
  return configPromise;
}

function normalize(raw: unknown): ClientConfig {
  const config = (raw && typeof raw === "object" ? raw : {}) as ClientConfig;
  if (config.apiBaseUrl !== undefined) {
    const base = apiBase(config.apiBaseUrl);
    if (base) config.apiBaseUrl = base;
    else {
      console.warn("config.json: apiBaseUrl is not an absolute http(s) URL; using this origin");
      delete config.apiBaseUrl;
    }
  }
  return config;
}

function apiBase(value: unknown): string | null {
  if (typeof value !== "string" || !value) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    if (url.search || url.hash || url.username || url.password) return null;
    return (url.origin + url.pathname).replace(/\/+$/, "");
  } catch {
    return null;
  }
}

/** The absolute URL of an API path ("/api/..."): on `apiBaseUrl` when config.json has one, else on this origin. */
export async function apiUrl(path: string): Promise<string> {
  const { apiBaseUrl } = await clientConfig();
  return (apiBaseUrl ?? location.origin) + path;
}
