// Files through the typed client, so they share its token refresh: authenticated downloads
// (exports, dossier files, templates) handed to the browser as files, multipart uploads, and
// GeoJSON collections. Paths are this API's own (`/api/v1/...`), with their query string.
import { api } from "./client";
import { ApiProblem, type Problem } from "../lib/problem";

/** A path of this API with its query string; the typed client's middleware still applies. */
type RawPath = string;

type Answer = { data?: unknown; error?: unknown; response: Response };
type Init = { parseAs?: "blob" | "text" | "json"; body?: unknown; bodySerializer?: (body: unknown) => unknown };
/** The same client (token, refresh, sign-out on 401) for paths assembled at run time. */
const raw = api as unknown as Record<"GET" | "POST" | "PUT", (path: RawPath, init?: Init) => Promise<Answer>>;

async function problemOf(response: Response, error: unknown): Promise<ApiProblem> {
  return new ApiProblem(response.status, (error ?? {}) as Problem);
}

function fileName(response: Response, fallback: string): string {
  const header = response.headers.get("content-disposition") ?? "";
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (extended?.[1]) return decodeURIComponent(extended[1]);
  const plain = /filename="([^"]+)"/i.exec(header);
  return plain?.[1] ?? fallback;
}

/** GETs `path` as a blob (a problem+json error is still read as a problem). */
export async function fetchBlob(path: RawPath): Promise<{ blob: Blob; response: Response }> {
  const { data, error, response } = await raw.GET(path, { parseAs: "blob" });
  if (!response.ok) {
    const text = error instanceof Blob ? await error.text() : undefined;
    throw await problemOf(response, text ? JSON.parse(text) : error);
  }
  return { blob: data as Blob, response };
}

/** GETs `path` as text (CSV code lists). */
export async function fetchText(path: RawPath): Promise<string> {
  const { data, error, response } = await raw.GET(path, { parseAs: "text" });
  if (!response.ok) throw await problemOf(response, typeof error === "string" ? JSON.parse(error || "{}") : error);
  return data as string;
}

export async function download(path: RawPath, fallback = "tai-xuong"): Promise<void> {
  const { blob, response } = await fetchBlob(path);
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName(response, fallback);
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Builds a query string from defined values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") search.set(k, String(v));
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** Sends a multipart form (a `file` and text fields); resolves with the answer's JSON. */
export async function uploadForm(path: RawPath, file: File, fields: Record<string, string | undefined> = {}, method: "POST" | "PUT" = "POST"): Promise<unknown> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v) form.set(k, v);
  form.set("file", file, file.name);
  const { data, error, response } = await raw[method](path, { body: form, bodySerializer: (body) => body });
  if (!response.ok) throw await problemOf(response, error);
  return data;
}

/** Uploads a dossier file (multipart); resolves with the stored document. */
export function uploadDocument(applicationId: string, kindId: string, file: File, replaces?: string): Promise<unknown> {
  return uploadForm(`/api/v1/applications/${applicationId}/documents`, file, { kind_id: kindId, replaces });
}
