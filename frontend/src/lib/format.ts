// Display formats: dates dd/mm/yyyy, times in Asia/Ho_Chi_Minh, money in VND.

const TIME_ZONE = "Asia/Ho_Chi_Minh";



/** `2026-11-22` → `22/11/2026` (a calendar date, no time zone involved). */
export function formatDate(isoDate: string | null | undefined): string {
  if (!isoDate) return "";
  const [y, m, d] = isoDate.slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}

/** An instant shown in Vietnam's time: `22/11/2026 15:04`. */
export function formatDateTime(instant: string | null | undefined, withSeconds = false): string {
  if (!instant) return "";
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return "";
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: TIME_ZONE,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const time = withSeconds ? `${parts.hour}:${parts.minute}:${parts.second}` : `${parts.hour}:${parts.minute}`;
  return `${parts.day}/${parts.month}/${parts.year} ${time}`;
}

/** `1500000` → `1.500.000 ₫`. */
export function formatVnd(amount: number): string {
  return `${new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 0 }).format(amount)} ₫`;
}

