// One workout: its figures in the person's units (km or miles; pace for runs, walks and hikes,
// speed for rides), the splits, the route drawn as an SVG line (projected longitude and
// latitude, no map tiles) and its elevation profile, and the full-resolution GPX to save.
// Loaded on demand (React.lazy in App.tsx): the first screen's bundle does not carry it.

import { useEffect, useId, useState } from "react";
import {
  elevationProfile,
  formatDistance,
  formatDuration,
  formatElevation,
  formatPace,
  formatSpeed,
  profilePath,
  projectRoute,
  showsPace,
  splitUnit,
  type Position,
  type Units,
} from "./activity";
import { Api, ApiError } from "./api";
import { localDay } from "./history";
import type { Track, Workout } from "./types";
import { Alert, Link, Loading, failure, useLoad } from "./ui";
import "./activity.css";

const ROUTE_SIZE = { width: 640, height: 400 };
const PROFILE_SIZE = { width: 640, height: 160 };

export function WorkoutPage({ api, units, timezone, workoutId }: { api: Api; units: Units; timezone: string; workoutId: string }) {
  const workout = useLoad(
    () => api.call((client) => client.GET("/workouts/{workout_id}", { params: { path: { workout_id: workoutId } } })),
    [workoutId],
  );
  const track = useLoad(() => loadTrack(api, workoutId), [workoutId]);
  const shown = workout.data;
  return (
    <main id="main" tabIndex={-1} className="workout-page">
      <p>
        <Link to="/history/workouts">Back to your workouts</Link>
      </p>
      {workout.loading ? <Loading what="the workout" /> : null}
      {workout.error ? <h1>Workout not available</h1> : null}
      <Alert message={workout.error} />
      {shown ? (
        <>
          <h1>{shown.title}</h1>
          <p className="muted" data-testid="workout-when">
            {localDay(shown.started_at, timezone)} · {shown.sport ?? shown.type} · {shown.duration_min} min
            {shown.source ? ` · from a ${shown.source.format.toUpperCase()} file${shown.source.device ? ` (${shown.source.device})` : ""}` : ""}
          </p>
          <Figures workout={shown} units={units} />
          {track.data ? <RouteFigure track={track.data} title={shown.title} units={units} /> : null}
          {track.error ? <Alert message={track.error} /> : null}
          {shown.splits?.length ? <Splits workout={shown} units={units} /> : null}
          {shown.source ? <GpxDownload api={api} workoutId={workoutId} /> : null}
        </>
      ) : null}
    </main>
  );
}

/** The simplified route, or null for a workout without one (logged by hand: a 404). */
async function loadTrack(api: Api, workoutId: string): Promise<Track | null> {
  try {
    return await api.call((client) => client.GET("/workouts/{workout_id}/track", { params: { path: { workout_id: workoutId } } }));
  } catch (caught) {
    if (caught instanceof ApiError && caught.status === 404) return null;
    throw caught;
  }
}

function Figures({ workout, units }: { workout: Workout; units: Units }) {
  const figures: [string, string, string][] = [];
  const add = (name: string, testId: string, value: string | undefined) => value !== undefined && figures.push([name, testId, value]);
  const known = (value: number | null | undefined) => (typeof value === "number" ? value : undefined);
  const distance = known(workout.distance_m);
  const speed = known(workout.avg_speed_mps);
  add("Distance", "distance", distance !== undefined ? formatDistance(distance, units) : undefined);
  add("Moving time", "moving-time", known(workout.moving_time_s) !== undefined ? formatDuration(workout.moving_time_s as number) : undefined);
  add("Elapsed time", "elapsed-time", known(workout.elapsed_time_s) !== undefined ? formatDuration(workout.elapsed_time_s as number) : undefined);
  if (speed !== undefined) {
    if (showsPace(workout.sport)) add("Average pace", "pace", formatPace(speed, units));
    add("Average speed", "speed", formatSpeed(speed, units));
  }
  const max = known(workout.max_speed_mps);
  add("Top speed", "max-speed", max !== undefined ? formatSpeed(max, units) : undefined);
  const gain = known(workout.elevation_gain_m);
  const loss = known(workout.elevation_loss_m);
  add("Elevation gain", "elevation-gain", gain !== undefined ? formatElevation(gain, units) : undefined);
  add("Elevation loss", "elevation-loss", loss !== undefined ? formatElevation(loss, units) : undefined);
  const heart = known(workout.avg_heart_rate);
  const maxHeart = known(workout.max_heart_rate);
  add("Average heart rate", "avg-heart-rate", heart !== undefined ? `${Math.round(heart)} bpm` : undefined);
  add("Maximum heart rate", "max-heart-rate", maxHeart !== undefined ? `${Math.round(maxHeart)} bpm` : undefined);
  const cadence = known(workout.avg_cadence);
  add("Average cadence", "cadence", cadence !== undefined ? `${Math.round(cadence)} /min` : undefined);
  if (!figures.length) return <p className="muted">Logged by hand: no distance or route. Upload a GPX, TCX or FIT file to see them.</p>;
  return (
    <section className="card" aria-labelledby="figures-heading">
      <h2 id="figures-heading">Figures</h2>
      <dl className="figures" data-testid="figures">
        {figures.map(([name, testId, value]) => (
          <div key={testId}>
            <dt>{name}</dt>
            <dd data-testid={testId}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function RouteFigure({ track, title, units }: { track: Track; title: string; units: Units }) {
  const id = useId();
  const coordinates: Position[] = track.geometry.coordinates;
  const route = projectRoute(coordinates, ROUTE_SIZE.width, ROUTE_SIZE.height, 12);
  const profile = elevationProfile(coordinates);
  const drawn = profilePath(profile, PROFILE_SIZE.width, PROFILE_SIZE.height);
  if (!route) return null;
  const length = profile.length ? profile[profile.length - 1].distance : 0;
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Route</h2>
      <svg
        className="route"
        viewBox={`0 0 ${ROUTE_SIZE.width} ${ROUTE_SIZE.height}`}
        role="img"
        aria-labelledby={`${id}-route-title`}
        aria-describedby={`${id}-route-desc`}
        data-testid="route"
      >
        <title id={`${id}-route-title`}>The route of “{title}”</title>
        <desc id={`${id}-route-desc`}>
          A line of {coordinates.length} points, north up, from the start (green) to the finish (red).
        </desc>
        <polyline className="route-line" data-testid="route-line" points={route.points} fill="none" />
        <circle className="route-start" cx={route.start[0]} cy={route.start[1]} r={7} />
        <circle className="route-end" cx={route.end[0]} cy={route.end[1]} r={7} />
      </svg>
      {drawn ? (
        <figure className="profile">
          <svg
            viewBox={`0 0 ${PROFILE_SIZE.width} ${PROFILE_SIZE.height}`}
            role="img"
            aria-labelledby={`${id}-profile-title`}
        aria-describedby={`${id}-profile-desc`}
            data-testid="elevation-profile"
          >
            <title id={`${id}-profile-title`}>Elevation profile</title>
            <desc id={`${id}-profile-desc`}>
              Over {formatDistance(length, units)}, from {formatElevation(drawn.low, units)} to {formatElevation(drawn.high, units)}.
            </desc>
            <polygon className="profile-area" points={drawn.points} />
          </svg>
          <figcaption className="muted">
            Elevation, lowest {formatElevation(drawn.low, units)}, highest {formatElevation(drawn.high, units)}, over {formatDistance(length, units)}
          </figcaption>
        </figure>
      ) : null}
    </section>
  );
}

function Splits({ workout, units }: { workout: Workout; units: Units }) {
  const splits = workout.splits ?? [];
  const unit = splitUnit(splits, units);
  return (
    <section className="card" aria-labelledby="splits-heading">
      <h2 id="splits-heading">Splits</h2>
      {/* Scrolls sideways on a narrow phone: focusable, so a keyboard can scroll it too. */}
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Splits table">
        <table className="plain-table splits" data-testid="splits">
          <caption className="visually-hidden">Each {unit === "km" ? "kilometre" : "mile"}: distance, time, pace, elevation change and average heart rate</caption>
          <thead>
            <tr>
              <th scope="col">{unit}</th>
              <th scope="col">Distance</th>
              <th scope="col">Time</th>
              <th scope="col">{showsPace(workout.sport) ? "Pace" : "Speed"}</th>
              <th scope="col">Elevation</th>
              <th scope="col">Heart rate</th>
            </tr>
          </thead>
          <tbody>
            {splits.map((split, index) => {
              const speed = split.time_s > 0 ? split.distance_m / split.time_s : 0;
              const change = split.elevation_change_m;
              return (
                <tr key={index}>
                  <th scope="row">{index + 1}</th>
                  <td>{formatDistance(split.distance_m, units)}</td>
                  <td>{formatDuration(split.time_s)}</td>
                  <td>{showsPace(workout.sport) ? formatPace(speed, units) : formatSpeed(speed, units)}</td>
                  <td>{typeof change === "number" ? `${change > 0 ? "+" : change < 0 ? "−" : ""}${formatElevation(Math.abs(change), units)}` : "–"}</td>
                  <td>{typeof split.avg_heart_rate === "number" ? `${Math.round(split.avg_heart_rate)} bpm` : "–"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The full-resolution GPX, fetched with the person's token and offered as a file to save. */
function GpxDownload({ api, workoutId }: { api: Api; workoutId: string }) {
  const [link, setLink] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => () => (link ? URL.revokeObjectURL(link) : undefined), [link]);
  return (
    <section className="card" aria-labelledby="gpx-heading">
      <h2 id="gpx-heading">Your file</h2>
      <Alert message={error} />
      {link ? (
        <p role="status">
          <a href={link} download={`stride-workout-${workoutId}.gpx`} data-testid="gpx-link">
            Save the GPX file
          </a>
        </p>
      ) : (
        <button
          type="button"
          className="secondary"
          disabled={busy}
          aria-busy={busy || undefined}
          onClick={() => {
            setBusy(true);
            setError(undefined);
            api
              .call((client) =>
                client.GET("/workouts/{workout_id}/gpx", {
                  params: { path: { workout_id: workoutId } },
                  headers: { Accept: "application/gpx+xml" },
                  parseAs: "blob",
                }),
              )
              .then((blob) => setLink(URL.createObjectURL(blob)))
              .catch((caught: unknown) => setError(failure(caught)))
              .finally(() => setBusy(false));
          }}
        >
          Prepare the GPX file
        </button>
      )}
    </section>
  );
}
