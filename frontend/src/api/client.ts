// The typed API client, generated from openapi/openapi.json (see `npm run gen:api`).
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema";
import { getSession, sessionFromPair, setSession } from "../auth/session";
import { ApiProblem, type Problem } from "../lib/problem";

export const api = createClient<paths>({ baseUrl: "" });

/** Endpoints that authenticate by their body, not by the access token. */
const TOKENLESS = new Set(["/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout"]);

let refreshing: Promise<void> | null = null;

/** Runs `work` while no other tab of this site refreshes: a refresh token is used once, and
 * every tab shares the cookie, so two tabs refreshing at once would look like a stolen token. */
async function exclusively(work: () => Promise<void>): Promise<void> {
  if (typeof navigator !== "undefined" && navigator.locks) {
    await navigator.locks.request("ocop-refresh", work);
  } else {
    await work();
  }
}

/** Refreshes the session (by the HttpOnly cookie) once, however many requests ask. */
async function refreshSession(): Promise<void> {
  refreshing ??= exclusively(async () => {
    const { data } = await api.POST("/api/v1/auth/refresh", { body: {} });
    setSession(data ? sessionFromPair(data) : null);
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** At start: a session from the refresh cookie, if there is one. */
export function restoreSession(): Promise<void> {
  return refreshSession().catch(() => setSession(null));
}

/** Signs out on the server (revoking the refresh token, clearing its cookie) and locally. */
export async function signOut(): Promise<void> {
  await api.POST("/api/v1/auth/logout", { body: {} }).catch(() => undefined);
  setSession(null);
}

const auth: Middleware = {
  async onRequest({ request, schemaPath }) {
    if (TOKENLESS.has(schemaPath)) return request;
    const before = getSession();
    if (before && before.expiresAt - Date.now() < 30_000) await refreshSession();
    const session = getSession();
    if (session) request.headers.set("Authorization", `Bearer ${session.accessToken}`);
    return request;
  },
  async onResponse({ response, schemaPath }) {
    // A refused token ends the session (except for a failed sign-in itself).
    if (response.status === 401 && schemaPath !== "/api/v1/auth/login" && schemaPath !== "/api/v1/auth/password") {
      setSession(null);
    }
    return response;
  },
};

api.use(auth);

/** Unwraps an openapi-fetch result: the data, or an ApiProblem to throw. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw new ApiProblem(result.response.status, (result.error ?? {}) as Problem);
  }
  return result.data as T;
}
