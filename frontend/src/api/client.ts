// The typed API client, generated from openapi/openapi.json (see `npm run gen:api`).
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema";
import { getSession, sessionFromPair, setSession } from "../auth/session";
import { ApiProblem, type Problem } from "../lib/problem";

export const api = createClient<paths>({ baseUrl: "" });

/** Endpoints that authenticate by their body, not by the access token. */
const TOKENLESS = new Set(["/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout"]);

let refreshing: Promise<void> | null = null;

/** Refreshes the session once, however many requests ask at the same time. */
async function refreshSession(): Promise<void> {
  refreshing ??= (async () => {
    const session = getSession();
    if (!session) return;
    const { data } = await api.POST("/api/v1/auth/refresh", { body: { refresh_token: session.refreshToken } });
    setSession(data ? sessionFromPair(data) : null);
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** Signs out on the server (revoking the refresh token) and locally. */
export async function signOut(): Promise<void> {
  const session = getSession();
  if (session) await api.POST("/api/v1/auth/logout", { body: { refresh_token: session.refreshToken } }).catch(() => undefined);
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
