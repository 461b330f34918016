import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatVnd } from "./format";
import { fold } from "./fold";
import { problemMessage, ApiProblem } from "./problem";
import { query } from "../api/files";

describe("format", () => {
  it("shows calendar dates as dd/mm/yyyy", () => {
    expect(formatDate("2026-11-22")).toBe("22/11/2026");
    expect(formatDate(null)).toBe("");
  });

  it("shows instants in Vietnam's time zone", () => {
    expect(formatDateTime("2026-11-22T17:30:05Z")).toBe("23/11/2026 00:30");
    expect(formatDateTime("2026-11-22T17:30:05Z", true)).toBe("23/11/2026 00:30:05");
    expect(formatDateTime("not a date")).toBe("");
  });

  it("formats VND with dot separators", () => {
    expect(formatVnd(1500000)).toBe("1.500.000 ₫");
  });
});

describe("fold", () => {
  it("ignores diacritics and case like the server", () => {
    expect(fold("Chả mực Hạ Long")).toBe("cha muc ha long");
    expect(fold("  ĐÔNG   Triều ")).toBe("dong trieu");
  });
});

describe("problemMessage", () => {
  const problem = new ApiProblem(422, {
    code: "validation_failed",
    message_vi: "Dữ liệu không hợp lệ.",
    message_en: "Some fields are invalid.",
    errors: [{ field: "code", code: "admin_unit_code", message_vi: "Mã xã gồm 5 chữ số.", message_en: "A commune code has 5 digits." }],
  });

  it("speaks the user's language and names the fields", () => {
    expect(problemMessage(problem, "vi")).toBe("Dữ liệu không hợp lệ. code: Mã xã gồm 5 chữ số.");
    expect(problemMessage(problem, "en")).toBe("Some fields are invalid. code: A commune code has 5 digits.");
  });

  it("falls back for errors that are not problems", () => {
    expect(problemMessage(new Error("network down"), "en")).toBe("network down");
  });
});

describe("query", () => {
  it("keeps only the values that are set, encoded", () => {
    expect(query({ q: "chả mực", group: undefined, status: "", limit: 20, overdue: false })).toBe("?q=ch%E1%BA%A3+m%E1%BB%B1c&limit=20&overdue=false");
    expect(query({ q: undefined })).toBe("");
  });
});
