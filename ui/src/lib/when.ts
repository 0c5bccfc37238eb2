import type { Language } from "../backend";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A date and time in the person's language and the computer's time zone. */
export function dateTime(lang: Language, iso: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

/** How far `iso` is from `now`, in words: "in 3 days", "2 hours ago". Rounded towards the
 * nearer unit a person would use; never "in 0 days". */
export function fromNow(lang: Language, iso: string, now: number = Date.now()): string {
  const diff = new Date(iso).getTime() - now;
  const words = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
  const size = Math.abs(diff);
  if (size >= 2 * DAY) return words.format(Math.round(diff / DAY), "day");
  if (size >= HOUR) return words.format(Math.round(diff / HOUR), "hour");
  return words.format(Math.round(diff / MINUTE) || Math.sign(diff) || 1, "minute");
}
