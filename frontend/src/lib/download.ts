// Authenticated downloads (exports, dossier files, templates): fetched with the session's
// token, then handed to the browser as a file.
import { getSession } from "../auth/session";
import { ApiProblem, type Problem } from "./problem";

function fileName(response: Response, fallback: string): string {
  const header = response.headers.get("content-disposition") ?? "";
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (extended?.[1]) return decodeURIComponent(extended[1]);
  const plain = /filename="([^"]+)"/i.exec(header);
  return plain?.[1] ?? fallback;
}

export async function download(path: string, fallback = "tai-xuong"): Promise<void> {
  const session = getSession();
  const response = await fetch(path, { headers: session ? { Authorization: `Bearer ${session.accessToken}` } : {} });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as Problem;
    throw new ApiProblem(response.status, problem);
  }
  const url = URL.createObjectURL(await response.blob());
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

/** Sends a multipart form (a `file` and text fields) with the session's token. */
export async function uploadForm(path: string, file: File, fields: Record<string, string | undefined> = {}, method: "POST" | "PUT" = "POST"): Promise<unknown> {
  const session = getSession();
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v) form.set(k, v);
  form.set("file", file, file.name);
  const response = await fetch(path, {
    method,
    headers: session ? { Authorization: `Bearer ${session.accessToken}` } : {},
    body: form,
  });
  const body = (await response.json().catch(() => ({}))) as Problem;
  if (!response.ok) throw new ApiProblem(response.status, body);
  return body;
}

/** Uploads a dossier file (multipart); resolves with the stored document. */
export function uploadDocument(applicationId: string, kindId: string, file: File, replaces?: string): Promise<unknown> {
  return uploadForm(`/api/v1/applications/${applicationId}/documents`, file, { kind_id: kindId, replaces });
}
