// The dashboard's data, asked for by the shell as soon as the session is known, beside
// GET /me/preferences rather than after it (App.tsx): after a reload the dashboard's data comes
// in the round trip after the token refresh, not two later. Kept out of dashboard.tsx so the shell
// can start it without loading the dashboard's chunk first.

import type { Api } from "./api";
import type { Summary, Task } from "./types";

export interface DashboardData {
  summary: Summary;
  openTasks: Task[];
}

/** `from`/`to` of the summary; none: the API's default, the last 30 days in the profile's zone
 * (so the first load needs no preferences to compute "today" in). */
export type SummaryQuery = { from?: string; to?: string };

export async function loadDashboard(api: Api, query: SummaryQuery): Promise<DashboardData> {
  const [summary, open] = await Promise.all([
    api.call((client) => client.GET("/stats/summary", { params: { query } })),
    api.call((client) => client.GET("/tasks", { params: { query: { status: "open", limit: 20 } } })),
  ]);
  return { summary, openTasks: open.items };
}

// An answer older than this is not shown as the dashboard's first: ask again.
const PREFETCH_MAX_AGE_MS = 15_000;
let prefetched: { at: number; answer: Promise<DashboardData> } | undefined;

/** Starts the default (30 days) load now, for the dashboard to take when it shows. */
export function prefetchDashboard(api: Api): void {
  const answer = loadDashboard(api, {});
  answer.catch(() => undefined); // unused, a failure is no unhandled rejection; the dashboard's own call says it
  prefetched = { at: Date.now(), answer };
}

/** The prefetched answer, once, while fresh; undefined when there is none (the dashboard asks). */
export function takePrefetchedDashboard(): Promise<DashboardData> | undefined {
  const found = prefetched;
  prefetched = undefined;
  return found && Date.now() - found.at <= PREFETCH_MAX_AGE_MS ? found.answer : undefined;
}
