// Personal records on the dashboard (GET /me/records): the fastest 1 km, mile, 5 km, 10 km, half
// marathon and marathon, the longest distance and the biggest climb, each linking to its workout;
// an empty state until an activity file brings one.

import { formatRecord, recordLabel, recordOrder, type Units } from "./activity";
import { Api } from "./api";
import { localDay } from "./history";
import type { PersonalRecord, PersonalRecords } from "./types";
import { Alert, Link, Loading, useLoad } from "./ui";
import "./activity.css";

/** The records in the card's order: the fastest efforts by distance, then the longest and the
 * biggest climb. */
export function inCardOrder(records: PersonalRecords): PersonalRecord[] {
  return records.items.slice().sort((a, b) => recordOrder(a.name) - recordOrder(b.name));
}

export function RecordsCard({ api, units, timezone, version }: { api: Api; units: Units; timezone: string; version: number }) {
  const records = useLoad(() => api.call((client) => client.GET("/me/records")).then(inCardOrder), [version]);
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
        <table className="plain-table records">
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
              <tr key={record.name} data-testid={`record-${record.name}`}>
                <th scope="row">{recordLabel(record.name)}</th>
                <td>{formatRecord(record.name, record.value, record.unit, units)}</td>
                <td>
                  <Link to={`/workouts/${record.workout_id}`}>{localDay(record.started_at, timezone)}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
