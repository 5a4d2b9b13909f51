// The logic of the history screens (weights, workouts, tasks), kept apart from React so it is
// tested without a browser: the date ranges, the task filters, overdue, paging with the API's
// cursor, and what a refused change says.

import { ApiError } from "./api";
import type { Page } from "./pages";

/** The ranges the history lists and the trend offer. */
export type RangeKey = "30d" | "90d" | "365d" | "all";

export const RANGES: readonly { key: RangeKey; label: string; days: number | null }[] = [
  { key: "30d", label: "30 days", days: 30 },
  { key: "90d", label: "90 days", days: 90 },
  { key: "365d", label: "A year", days: 365 },
  { key: "all", label: "All", days: null },
];

/** The ranges the summary (weight trend, stats) takes: the API answers at most 366 days a range. */
export const SUMMARY_RANGES = RANGES.filter((range) => range.days !== null);

/** YYYY-MM-DD moved by whole days (calendar arithmetic, no time zone involved). */
export function shiftDate(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** The API's `from`/`to` (local dates, inclusive) for a range ending `today`; none for all. */
export function rangeBounds(key: RangeKey, today: string): { from?: string; to?: string } {
  const days = RANGES.find((range) => range.key === key)?.days;
  if (!days) return {};
  return { from: shiftDate(today, 1 - days), to: today };
}

export type TaskFilter = "open" | "done" | "all";

export const TASK_FILTERS: readonly { value: TaskFilter; label: string }[] = [
  { value: "open", label: "Open" },
  { value: "done", label: "Done" },
  { value: "all", label: "All" },
];

/** The query of `GET /tasks` for a filter: no status lists every task, newest first. */
export function taskQuery(filter: TaskFilter): { status?: "open" | "done" } {
  return filter === "all" ? {} : { status: filter };
}

/** Open and due before today (in the person's zone), as the API's summary counts it. */
export function isOverdue(task: { done: boolean; due_date?: string }, today: string): boolean {
  return !task.done && task.due_date !== undefined && task.due_date < today;
}

/** The next page appended to the shown one, once: only when the shown list still ends at the
 * cursor that was asked for (a filter changed or a reload happened meanwhile: dropped). */
export function appendPage<T extends { id: string }>(shown: Page<T> | undefined, cursor: string, next: Page<T>): Page<T> | undefined {
  if (!shown || shown.next_cursor !== cursor) return shown;
  const ids = new Set(shown.items.map((item) => item.id));
  return { items: [...shown.items, ...next.items.filter((item) => !ids.has(item.id))], next_cursor: next.next_cursor };
}

/** The page with `item` replaced where it is. */
export function replaced<T extends { id: string }>(shown: Page<T> | undefined, item: T): Page<T> | undefined {
  return shown && { ...shown, items: shown.items.map((current) => (current.id === item.id ? item : current)) };
}

/** The page without the item `id`. */
export function without<T extends { id: string }>(shown: Page<T> | undefined, id: string): Page<T> | undefined {
  return shown && { ...shown, items: shown.items.filter((current) => current.id !== id) };
}

export const CHANGED_ELSEWHERE = "This was changed elsewhere since you opened it — reload to see it.";

/** A refused change's message: a stale version (412) is explained, with a reload to offer. */
export function changedElsewhere(caught: unknown): boolean {
  return caught instanceof ApiError && caught.status === 412;
}

/** The day of `measured_at`/`started_at` in the person's zone: a date as given, a date-time's local date. */
export function localDay(value: string, timezone: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return value;
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}

/** The weight unit of the preferences. */
export { weightUnit } from "./units";

/** A weight as the list shows it: at most 1 decimal, in the unit the API answered in. */
export function formatWeight(value: number, unit: string): string {
  return `${Number(value.toFixed(1))} ${unit}`;
}

/** The fields of an edit form whose text changed: only these are sent (a date-time the form shows
 * as its local day is not moved to noon by a save that did not touch it). */
export function changedFields(values: Record<string, string>, initial: Record<string, string>): string[] {
  return Object.keys(values).filter((name) => values[name] !== initial[name]);
}
