// Personal records on the dashboard (GET /me/records): the fastest 1 km, mile, 5 km, 10 km, half
// marathon and marathon, the longest distance and the biggest climb, each linking to its workout;
// an empty state until an activity file brings one.

import { formatRecord, recordLabel, recordOrder, type Units } from "./activity";
import { Api } from "./api";
import { localDay } from "./history";
import { Alert, Link, Loading, useLoad } from "./ui";

export interface PersonalRecord {
  record: string;
  value: number;
  workout_id: string;
  started_at?: string;
}

/** The records of the answer, in the card's order. */
export function recordsOf(body: unknown): PersonalRecord[] {
  const items = body && typeof body === "object" ? (body as { items?: unknown }).items : undefined;
  if (!Array.isArray(items)) return [];
  return (items as PersonalRecord[]).slice().sort((a, b) => recordOrder(a.record) - recordOrder(b.record));
}

export function RecordsCard({ api, units, timezone, version }: { api: Api; units: Units; timezone: string; version: number }) {
  const records = useLoad(() => api.send("/me/records").then((sent) => recordsOf(sent.body)), [version]);
  return (
    <section className="card" aria-labelledby="records-heading" data-testid="records">
      <h2 id="records-heading">Personal records</h2>
      <Alert message={records.error} />
      {records.loading ? <Loading what="your records" /> : null}
      {records.data && records.data.length === 0 ? (
        <p className="muted" data-testid="records-empty">
          No records yet. Upload a run or a ride and your bests appear here.
        </p>
      ) : null}
      {records.data && records.data.length ? (
        <table className="plain-table">
          <caption className="visually-hidden">Your personal records and the workouts they come from</caption>
          <thead>
            <tr>
              <th scope="col">Record</th>
              <th scope="col">Best</th>
              <th scope="col">Workout</th>
            </tr>
          </thead>
          <tbody>
            {records.data.map((record) => (
              <tr key={record.record} data-testid={`record-${record.record}`}>
                <th scope="row">{recordLabel(record.record)}</th>
                <td>{formatRecord(record.record, record.value, units)}</td>
                <td>
                  <Link to={`/workouts/${record.workout_id}`}>{record.started_at ? localDay(record.started_at, timezone) : "See it"}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
