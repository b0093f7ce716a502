// Times and day headings of the message list, in the agent's locale and
// time zone. Formatters are built once: constructing an Intl.DateTimeFormat
// costs far more than formatting with one, and a long chat formats many.
const DAY_MS = 86_400_000;

const time = new Intl.DateTimeFormat(undefined, {
  hour: "numeric",
  minute: "2-digit",
});
const weekday = new Intl.DateTimeFormat(undefined, { weekday: "long" });
const dayThisYear = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  day: "numeric",
  month: "short",
});
const dayOtherYear = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  year: "numeric",
});
const full = new Intl.DateTimeFormat(undefined, {
  dateStyle: "full",
  timeStyle: "medium",
});

// ECMA-262 §21.4.1.22: a time value beyond ±8.64e15 ms is no date, and
// formatting one throws; a hostile delay stamp must not break the list.
const MAX_TIME = 8.64e15;

/** Whether `at` is a moment Date and Intl can work with. */
export function isValidTime(at: number): boolean {
  return Number.isFinite(at) && Math.abs(at) <= MAX_TIME;
}

/** Local midnight starting the day of `at` (a DST day is 23 or 25 hours). */
export function startOfDay(at: number): number {
  const date = new Date(at);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate())
    .getTime();
}

/** Local midnight ending the day of `at`. */
export function endOfDay(at: number): number {
  const date = new Date(at);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1)
    .getTime();
}

/** "14:05" or "2:05 PM", as the locale writes a time. */
export function timeLabel(at: number): string {
  return isValidTime(at) ? time.format(at) : "";
}

/** The exact moment, for a tooltip. */
export function fullLabel(at: number): string {
  return isValidTime(at) ? full.format(at) : "";
}

/** ISO 8601 for <time datetime>, "" for no valid moment. */
export function isoLabel(at: number): string {
  return isValidTime(at) ? new Date(at).toISOString() : "";
}

/**
 * The heading over a day's messages: "Today", "Yesterday", the weekday
 * within the last week, else the date (with the year when not this one).
 */
export function dayLabel(at: number, now: number): string {
  if (!isValidTime(at)) return "Unknown date";
  const today = startOfDay(now);
  const day = startOfDay(at);
  if (day === today) return "Today";
  if (day === startOfDay(today - 1)) return "Yesterday";
  if (day < today && day > today - 7 * DAY_MS) return weekday.format(at);
  return new Date(at).getFullYear() === new Date(now).getFullYear()
    ? dayThisYear.format(at)
    : dayOtherYear.format(at);
}
