// One date and time format for every screen, in the profile's time zone (GET /me/preferences),
// not the browser's: a member in New York and her coach in Berlin read the same day for a post.
// App sets the zone once the preferences are in; before that (sign-in screens) it is the browser's.

let displayZone: string | undefined;

export function setDisplayZone(timezone: string | undefined): void {
  displayZone = timezone;
}

export function displayedZone(): string | undefined {
  return displayZone;
}

/** The browser's IANA zone, sent at sign-up so a new account starts in it (the API defaults to UTC). */
export function browserZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

function format(value: string, options: Intl.DateTimeFormatOptions, timezone: string | undefined, locale: string | undefined): string {
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return value;
  // A date-only value (2026-12-06) is a calendar day, not an instant: shown as it is, zone-free.
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const zone = dateOnly ? "UTC" : (timezone ?? displayZone);
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: zone }).format(instant);
  } catch {
    return new Intl.DateTimeFormat(locale, options).format(instant); // a zone this browser does not know
  }
}

/** An instant as a day and a time, e.g. "6 Dec 2026, 20:05". */
export function formatDateTime(value: string, timezone?: string, locale?: string): string {
  return format(value, { dateStyle: "medium", timeStyle: "short" }, timezone, locale);
}

/** An instant's (or a calendar day's) day, e.g. "6 Dec 2026". */
export function formatDate(value: string, timezone?: string, locale?: string): string {
  return format(value, { dateStyle: "medium" }, timezone, locale);
}

/** Today (plus `offsetDays`) in the zone as YYYY-MM-DD: what a form prefills and checks against. */
export function todayIn(timezone: string, offsetDays = 0, now: number = Date.now()): string {
  const shifted = new Date(now + offsetDays * 86_400_000);
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(shifted);
}
