// The signed-in session: the access token and profile, in memory only. The refresh token is
// an HttpOnly cookie the server sets at sign-in, which no script can read; a reload restores
// the session from it (`restoreSession` in api/client.ts). The access token lives 15 minutes
// and is refreshed shortly before it expires.
import { useSyncExternalStore } from "react";
import type { components } from "../api/schema";

export type TokenPair = components["schemas"]["TokenPair"];
export type Me = components["schemas"]["Me"];

export interface Session {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  user: Me;
}

/** `restoring` until the first refresh answered: neither signed in nor out yet. */
export type SessionState = Session | null | "restoring";

const listeners = new Set<() => void>();
let current: SessionState = "restoring";

export function getSession(): Session | null {
  return current === "restoring" ? null : current;
}

export function setSession(session: Session | null): void {
  current = session;
  listeners.forEach((l) => l());
}

export function sessionFromPair(pair: TokenPair): Session {
  return {
    accessToken: pair.access_token,
    expiresAt: Date.now() + pair.expires_in * 1000,
    user: pair.user,
  };
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The session, `null` when signed out (also while restoring). */
export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession);
}

/** The session or `"restoring"`, for the app shell that waits for the first answer. */
export function useSessionState(): SessionState {
  return useSyncExternalStore(subscribe, () => current);
}
