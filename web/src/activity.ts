// Activities (GPX, TCX and FIT files) as the screens show them, kept apart from React so it is
// tested without a browser: which files the API takes and how each is sent, the figures in the
// person's units (km or miles, metres or feet, pace for runs), the route projected for an SVG
// polyline, the elevation profile, and the personal records' names.

import type { components } from "./generated/openapi";
import { UPLOAD_RULES } from "./upload";

type Schemas = components["schemas"];

const MB = 1024 * 1024;

/** The largest file sent as the body of POST /workouts/files; larger ones go through the
 * pre-signed upload (POST /media/uploads, purpose "activity") and then `{"media_id"}`. */
export const MAX_DIRECT_BYTES = 5 * MB;
/** The largest activity file the pre-signed upload takes (the API's rule for the purpose). */
export const MAX_ACTIVITY_BYTES = UPLOAD_RULES.activity.maxBytes;

/** The media types the API takes, by the file's extension (browsers give GPX, TCX and FIT files
 * no type, or a wrong one: the extension decides). */
export const ACTIVITY_TYPES = {
  gpx: "application/gpx+xml",
  tcx: "application/vnd.garmin.tcx+xml",
  fit: "application/vnd.ant.fit",
} as const;
export type ActivityFormat = keyof typeof ACTIVITY_TYPES;
export type ActivityMediaType = (typeof ACTIVITY_TYPES)[ActivityFormat];

/** What the file picker offers: the extensions and their media types. */
export const ACCEPT = [".gpx", ".tcx", ".fit", ...Object.values(ACTIVITY_TYPES)].join(",");

export function formatOf(name: string): ActivityFormat | undefined {
  const dot = name.lastIndexOf(".");
  const extension = dot === -1 ? "" : name.slice(dot + 1).toLowerCase();
  return Object.hasOwn(ACTIVITY_TYPES, extension) ? (extension as ActivityFormat) : undefined;
}

/** Why this file cannot be an activity, from its name and size alone, or undefined. */
export function checkActivity(file: { name: string; size: number }): string | undefined {
  if (!formatOf(file.name)) return `${file.name} is not a GPX, TCX or FIT file. Choose a .gpx, .tcx or .fit file.`;
  if (file.size < 1) return `${file.name} is empty.`;
  if (file.size > MAX_ACTIVITY_BYTES) return `${file.name} is ${(file.size / MB).toFixed(1)} MB; the limit is ${MAX_ACTIVITY_BYTES / MB} MB.`;
  return undefined;
}

/** Whether the first bytes look like the format the name says (the API checks the whole file):
 * a FIT file carries ".FIT" at bytes 8 to 11; GPX and TCX are XML, naming their root element
 * near the top. */
export function looksLike(format: ActivityFormat, head: Uint8Array): boolean {
  if (format === "fit") return head.length >= 12 && String.fromCharCode(...head.subarray(8, 12)) === ".FIT";
  const text = new TextDecoder("utf-8", { fatal: false }).decode(head).replace(/^\uFEFF/, "");
  const root = format === "gpx" ? "<gpx" : "<TrainingCenterDatabase";
  return text.trimStart().startsWith("<") && text.includes(root);
}

/** How a file is sent: as the body itself, or first to the bucket. */
export function route(size: number): "direct" | "presigned" {
  return size > MAX_DIRECT_BYTES ? "presigned" : "direct";
}

// --- the answers of POST /workouts/files ----------------------------------------------------

/** 201: a new workout; 200: the same file was uploaded before (the first workout); 202: the work
 * goes on in the background, at `location`. */
export type UploadOutcome =
  | { kind: "created"; workoutId: string }
  | { kind: "duplicate"; workoutId: string }
  | { kind: "pending"; location: string; uploadId: string };

/** The outcome of an answer, or undefined when it is a refusal (the caller reads the envelope). */
export function outcome(status: number, body: unknown, location: string | null): UploadOutcome | undefined {
  const id = workoutIdOf(body);
  if (status === 201 && id) return { kind: "created", workoutId: id };
  if (status === 200 && id) return { kind: "duplicate", workoutId: id };
  if (status === 202 && location) {
    // The upload's id: the answer's, or the Location's last segment (/workouts/files/{id}).
    const named = body && typeof body === "object" ? (body as Record<string, unknown>).id : undefined;
    const uploadId = typeof named === "string" ? named : decodeURIComponent(location.replace(/\/+$/, "").split("/").pop() ?? "");
    if (uploadId) return { kind: "pending", location, uploadId };
  }
  return undefined;
}

/** The workout's id in an answer: the workout itself, or a job naming it (`workout_id`, or a
 * `workout` inside). */
export function workoutIdOf(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return undefined;
  const record = body as Record<string, unknown>;
  if (typeof record.workout_id === "string") return record.workout_id;
  if (record.workout && typeof record.workout === "object") return workoutIdOf(record.workout);
  if (typeof record.id === "string" && typeof record.started_at === "string") return record.id;
  return undefined;
}

/** What a poll of the Location says: done (with the workout), still working, or failed (with
 * the API's message). */
export function pollState(status: number, body: unknown): { state: "done"; workoutId: string } | { state: "working" } | { state: "failed"; message: string } {
  const record = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const id = workoutIdOf(body);
  const jobState = typeof record.status === "string" ? record.status : undefined;
  if (status >= 400) return { state: "failed", message: errorMessage(body) ?? `The file could not be read (${status}).` };
  if (jobState === "failed" || jobState === "error") {
    return { state: "failed", message: errorMessage(body) ?? "The file could not be read." };
  }
  if (id && (jobState === undefined || jobState === "done" || jobState === "succeeded" || jobState === "complete")) return { state: "done", workoutId: id };
  return { state: "working" };
}

function errorMessage(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return undefined;
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (error && typeof error === "object" && typeof (error as Record<string, unknown>).message === "string") {
    return (error as Record<string, string>).message;
  }
  return typeof error === "string" ? error : undefined;
}

/** The pause before the next poll: short at first, then longer, at most 5 s. */
export function pollDelay(attempt: number): number {
  return Math.min(5000, 500 * 2 ** Math.min(attempt, 4));
}

export const UPLOAD_REFUSALS: Record<number, string> = {
  413: "The file is too large to send directly; files over 5 MB go through the upload.",
  415: "The API does not take this kind of file. Choose a GPX, TCX or FIT file.",
};

// --- figures in the person's units ------------------------------------------------------------

export type Units = Schemas["Preferences"]["units"];

const METRES_PER_MILE = 1609.344;
const FEET_PER_METRE = 3.28084;

export function distanceUnit(units: Units): "km" | "mi" {
  return units === "imperial" ? "mi" : "km";
}

/** 10234 m -> "10.23 km" (or "6.36 mi"). */
export function formatDistance(metres: number, units: Units): string {
  const value = units === "imperial" ? metres / METRES_PER_MILE : metres / 1000;
  return `${value.toFixed(2)} ${distanceUnit(units)}`;
}

/** Metres of elevation, or feet for imperial: whole numbers. */
export function formatElevation(metres: number, units: Units): string {
  return units === "imperial" ? `${Math.round(metres * FEET_PER_METRE)} ft` : `${Math.round(metres)} m`;
}

/** Seconds as h:mm:ss, or m:ss under an hour. */
export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}

/** Pace, the time a kilometre (or mile) takes at this speed: "5:00 /km". */
export function formatPace(metresPerSecond: number, units: Units): string {
  if (!(metresPerSecond > 0)) return "–";
  const unitMetres = units === "imperial" ? METRES_PER_MILE : 1000;
  return `${formatDuration(unitMetres / metresPerSecond)} /${distanceUnit(units)}`;
}

/** Speed in km/h or mph, one decimal. */
export function formatSpeed(metresPerSecond: number, units: Units): string {
  const perHour = metresPerSecond * 3.6;
  return units === "imperial" ? `${(perHour / 1.609344).toFixed(1)} mph` : `${perHour.toFixed(1)} km/h`;
}

/** Runs, walks and hikes are read as pace; rides and swims as speed. */
export function showsPace(sport: string | undefined | null): boolean {
  return sport === "running" || sport === "walking" || sport === "hiking";
}

/** What the splits were cut by: a mile or a kilometre (the person's units when the file came
 * in, which may not be their units now), read from the full splits' length. */
export function splitUnit(splits: readonly { distance_m: number }[], units: Units): "km" | "mi" {
  const full = splits.length > 1 ? splits[0].distance_m : undefined;
  if (full === undefined) return distanceUnit(units);
  return Math.abs(full - METRES_PER_MILE) < Math.abs(full - 1000) ? "mi" : "km";
}

// --- the route and its profile ----------------------------------------------------------------

export type Position = readonly number[]; // [lon, lat] or [lon, lat, ele]

const EARTH_RADIUS_M = 6_371_008.8;
const toRadians = (degrees: number) => (degrees * Math.PI) / 180;

/** The great-circle distance between two positions, in metres (haversine). */
export function haversine(a: Position, b: Position): number {
  const dLat = toRadians(b[1] - a[1]);
  const dLon = toRadians(b[0] - a[0]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(a[1])) * Math.cos(toRadians(b[1])) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The route projected into a `width` x `height` box with `pad` around it, north up, the same
 * scale both ways (an equirectangular projection at the route's mean latitude, fine at the size
 * of a run or a ride): the `points` attribute of an SVG polyline, and the start and end. */
export function projectRoute(
  coordinates: readonly Position[],
  width: number,
  height: number,
  pad = 8,
): { points: string; start: [number, number]; end: [number, number] } | undefined {
  if (coordinates.length < 2) return undefined;
  const meanLat = coordinates.reduce((sum, position) => sum + position[1], 0) / coordinates.length;
  const squeeze = Math.cos(toRadians(meanLat));
  const xs = coordinates.map((position) => position[0] * squeeze);
  const ys = coordinates.map((position) => position[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const spanX = maxX - minX || 1e-9;
  const spanY = maxY - minY || 1e-9;
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
  // Centred: the unused room split on both sides.
  const offsetX = pad + (width - 2 * pad - spanX * scale) / 2;
  const offsetY = pad + (height - 2 * pad - spanY * scale) / 2;
  const at = (index: number): [number, number] => [
    round(offsetX + (xs[index] - minX) * scale),
    round(offsetY + (maxY - ys[index]) * scale),
  ];
  const projected = coordinates.map((_, index) => at(index));
  return {
    points: projected.map(([x, y]) => `${x},${y}`).join(" "),
    start: projected[0],
    end: projected[projected.length - 1],
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The elevation along the route: cumulative distance (metres) and elevation (metres), for the
 * positions that have an elevation. */
export function elevationProfile(coordinates: readonly Position[]): { distance: number; elevation: number }[] {
  const profile: { distance: number; elevation: number }[] = [];
  let distance = 0;
  coordinates.forEach((position, index) => {
    if (index > 0) distance += haversine(coordinates[index - 1], position);
    const elevation = position[2];
    if (typeof elevation === "number" && Number.isFinite(elevation)) profile.push({ distance, elevation });
  });
  return profile;
}

/** The profile as the `points` of an SVG polyline in a `width` x `height` box (a closed area:
 * it starts and ends on the bottom edge), with its lowest and highest elevation. */
export function profilePath(
  profile: readonly { distance: number; elevation: number }[],
  width: number,
  height: number,
  pad = 4,
): { points: string; low: number; high: number } | undefined {
  if (profile.length < 2) return undefined;
  const total = profile[profile.length - 1].distance || 1;
  const elevations = profile.map((point) => point.elevation);
  const low = Math.min(...elevations);
  const high = Math.max(...elevations);
  const span = Math.max(high - low, 10); // a flat route is not drawn as a mountain range
  const x = (distance: number) => round(pad + (distance / total) * (width - 2 * pad));
  const y = (elevation: number) => round(height - pad - ((elevation - low) / span) * (height - 2 * pad));
  const line = profile.map((point) => `${x(point.distance)},${y(point.elevation)}`);
  return { points: [`${x(0)},${height - pad}`, ...line, `${x(total)},${height - pad}`].join(" "), low, high };
}

// --- personal records ---------------------------------------------------------------------------

/** The records GET /me/records names, in the order the card lists them. */
export const RECORD_LABELS: Record<string, string> = {
  "1k": "Fastest 1 km",
  "1mile": "Fastest mile",
  "5k": "Fastest 5 km",
  "10k": "Fastest 10 km",
  half_marathon: "Fastest half marathon",
  marathon: "Fastest marathon",
  longest_distance: "Longest distance",
  biggest_climb: "Biggest climb",
};

export function recordLabel(key: string): string {
  return RECORD_LABELS[key] ?? key.replace(/_/g, " ");
}

/** A record's value as people read it: seconds as a time (the fastest efforts), metres as an
 * elevation (the biggest climb) or a distance (the longest). */
export function formatRecord(name: string, value: number, unit: "s" | "m", units: Units): string {
  if (unit === "s") return formatDuration(value);
  return name === "biggest_climb" ? formatElevation(value, units) : formatDistance(value, units);
}

export function recordOrder(key: string): number {
  const index = Object.keys(RECORD_LABELS).indexOf(key);
  return index === -1 ? Number.MAX_SAFE_INTEGER : index;
}
