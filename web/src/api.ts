// The API on this origin (/api), with the signed-in user's bearer token. Failures are RFC 9457
// problems: ApiError carries the status, the problem's detail and its per-field `errors`.

import { t } from "./i18n";

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
}

export class ApiError extends Error {
  constructor(public readonly status: number, public readonly problem: Problem | null) {
    super(problem?.detail ?? problem?.title ?? t("error.generic", { status }));
  }

  get errors(): Record<string, string[]> {
    return this.problem?.errors ?? {};
  }
}

/** The request never got an answer (offline, server down, connection cut). */
export class NetworkError extends Error {
  constructor() {
    super(t("error.network"));
  }
}

type TokenSource = () => string | null;
let tokenSource: TokenSource = () => null;
let onUnauthorized: () => void = () => {};

export function configureApi(source: TokenSource, unauthorized: () => void): void {
  tokenSource = source;
  onUnauthorized = unauthorized;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Don't sign out on 401 (the sign-in call itself). */
  anonymous?: boolean;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<{ status: number; data: T }> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  const token = options.anonymous ? null : tokenSource();
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: "omit", cache: "no-store" });
  } catch {
    throw new NetworkError();
  }
  const text = await response.text().catch(() => "");
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && !options.anonymous) onUnauthorized();
    throw new ApiError(response.status, (data as Problem) ?? null);
  }
  return { status: response.status, data: data as T };
}

export const get = <T>(path: string) => request<T>("GET", path).then((r) => r.data);
export const post = <T>(path: string, body?: unknown, headers?: Record<string, string>) => request<T>("POST", path, { body, headers }).then((r) => r.data);
export const put = <T>(path: string, body?: unknown) => request<T>("PUT", path, { body }).then((r) => r.data);
export const del = (path: string) => request<unknown>("DELETE", path).then(() => undefined);

/** A short message for a failure, for a status line. */
export function describe(error: unknown): string {
  if (error instanceof ApiError || error instanceof NetworkError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
