import type { components } from "../api/schema";

export type Problem = Partial<components["schemas"]["Problem"]> & {
  code?: string;
  message_vi?: string;
  message_en?: string;
};

export type Lang = "vi" | "en";

/** A failed API call, carrying the server's problem+json body. */
export class ApiProblem extends Error {
  constructor(
    public status: number,
    public problem: Problem,
  ) {
    super(problem.message_en ?? `HTTP ${status}`);
  }

  fieldErrors(lang: Lang): Record<string, string> {
    return Object.fromEntries(
      (this.problem.errors ?? []).map((e) => [e.field, lang === "vi" ? e.message_vi : e.message_en]),
    );
  }
}

/** One line for a notification: the main message, then each field's message. */
export function problemMessage(error: unknown, lang: Lang): string {
  if (error instanceof ApiProblem) {
    const main = (lang === "vi" ? error.problem.message_vi : error.problem.message_en) ?? error.message;
    const fields = (error.problem.errors ?? []).map(
      (e) => `${e.field}: ${lang === "vi" ? e.message_vi : e.message_en}`,
    );
    return [main, ...fields].join(" ");
  }
  return error instanceof Error ? error.message : String(error);
}
