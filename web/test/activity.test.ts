import { describe, expect, it } from "vitest";
import {
  ACCEPT,
  checkActivity,
  elevationProfile,
  formatDistance,
  formatDuration,
  formatElevation,
  formatPace,
  formatRecord,
  formatSpeed,
  formatOf,
  haversine,
  looksLike,
  outcome,
  pollDelay,
  pollState,
  profilePath,
  projectRoute,
  recordLabel,
  route,
  showsPace,
  splitUnit,
} from "../src/activity";
import { inCardOrder } from "../src/records";

const GPX = `<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg></trkseg></trk></gpx>`;
const TCX = `<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"></TrainingCenterDatabase>`;
// A FIT file's 14-byte header: size, protocol, profile (2), data size (4), ".FIT", CRC (2).
const FIT_HEADER = new Uint8Array([14, 0x20, 0x08, 0x08, 0, 0, 0, 0, 0x2e, 0x46, 0x49, 0x54, 0, 0]);
const bytes = (text: string) => new TextEncoder().encode(text);

describe("which files are activities, and how each is sent", () => {
  it("knows the format by the extension, whatever its case", () => {
    expect(formatOf("Morning Run.GPX")).toBe("gpx");
    expect(formatOf("ride.tcx")).toBe("tcx");
    expect(formatOf("2026-12-06-07-00-00.fit")).toBe("fit");
    expect(formatOf("notes.txt")).toBeUndefined();
    expect(formatOf("gpx")).toBeUndefined();
    expect(ACCEPT).toContain(".fit");
    expect(ACCEPT).toContain("application/vnd.garmin.tcx+xml");
  });

  it("refuses other files, empty ones and ones over the limit before sending", () => {
    expect(checkActivity({ name: "run.gpx", size: 1000 })).toBeUndefined();
    expect(checkActivity({ name: "run.kml", size: 1000 })).toBe("run.kml is not a GPX, TCX or FIT file. Choose a .gpx, .tcx or .fit file.");
    expect(checkActivity({ name: "run.gpx", size: 0 })).toBe("run.gpx is empty.");
    expect(checkActivity({ name: "run.fit", size: 25 * 1024 * 1024 })).toBeUndefined();
    expect(checkActivity({ name: "run.fit", size: 26 * 1024 * 1024 })).toBe("run.fit is 26.0 MB; the limit is 25 MB.");
  });

  it("looks inside: XML with the format's root, or a FIT header", () => {
    expect(looksLike("gpx", bytes(GPX))).toBe(true);
    expect(looksLike("gpx", bytes(`\uFEFF${GPX}`))).toBe(true);
    expect(looksLike("tcx", bytes(TCX))).toBe(true);
    expect(looksLike("gpx", bytes(TCX))).toBe(false);
    expect(looksLike("gpx", bytes("lat,lon\n1,2"))).toBe(false);
    expect(looksLike("fit", FIT_HEADER)).toBe(true);
    expect(looksLike("fit", bytes(GPX))).toBe(false);
    expect(looksLike("fit", FIT_HEADER.subarray(0, 10))).toBe(false);
  });

  it("sends up to 5 MB as the body, larger files through the upload", () => {
    expect(route(5 * 1024 * 1024)).toBe("direct");
    expect(route(5 * 1024 * 1024 + 1)).toBe("presigned");
  });
});

describe("what the API answered", () => {
  const workout = { id: "w1", started_at: "2026-12-05T07:00:00Z", title: "Run" };

  it("reads 201 as new, 200 as the same file again, 202 as a Location to poll", () => {
    expect(outcome(201, workout, null)).toEqual({ kind: "created", workoutId: "w1" });
    expect(outcome(200, workout, null)).toEqual({ kind: "duplicate", workoutId: "w1" });
    expect(outcome(202, { id: "m1", status: "processing" }, "/workouts/files/m1")).toEqual({
      kind: "pending",
      location: "/workouts/files/m1",
      uploadId: "m1",
    });
    expect(outcome(202, {}, "https://api.test/workouts/files/m2")).toMatchObject({ kind: "pending", uploadId: "m2" });
    expect(outcome(202, {}, null)).toBeUndefined();
    expect(outcome(201, { nothing: true }, null)).toBeUndefined();
  });

  it("polls until the job names its workout, and stops on a failure with the API's message", () => {
    expect(pollState(200, { id: "m1", status: "processing" })).toEqual({ state: "working" });
    expect(pollState(200, { id: "m1", status: "done", workout_id: "w1" })).toEqual({ state: "done", workoutId: "w1" });
    expect(pollState(200, { status: "done", workout: workout })).toEqual({ state: "done", workoutId: "w1" });
    expect(pollState(200, { status: "failed", error: { code: "invalid_activity_file", message: "No track points." } })).toEqual({
      state: "failed",
      message: "No track points.",
    });
    expect(pollState(422, { error: { message: "Timestamps go backwards." } })).toEqual({ state: "failed", message: "Timestamps go backwards." });
  });

  it("waits longer between polls, at most 5 s", () => {
    expect([0, 1, 2, 3, 4, 10].map(pollDelay)).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
  });
});

describe("figures in the person's units", () => {
  it("shows distances in km or miles", () => {
    expect(formatDistance(10_000, "metric")).toBe("10.00 km");
    expect(formatDistance(1609.344, "imperial")).toBe("1.00 mi");
    expect(formatDistance(21_097.5, "imperial")).toBe("13.11 mi");
  });

  it("shows elevation in metres or feet", () => {
    expect(formatElevation(100, "metric")).toBe("100 m");
    expect(formatElevation(100, "imperial")).toBe("328 ft");
  });

  it("shows durations as m:ss or h:mm:ss", () => {
    expect(formatDuration(59)).toBe("0:59");
    expect(formatDuration(25 * 60 + 3)).toBe("25:03");
    expect(formatDuration(3600 + 5 * 60 + 9)).toBe("1:05:09");
  });

  it("shows pace per km or mile, and speed per hour", () => {
    expect(formatPace(1000 / 300, "metric")).toBe("5:00 /km");
    expect(formatPace(1609.344 / 480, "imperial")).toBe("8:00 /mi");
    expect(formatPace(0, "metric")).toBe("–");
    expect(formatSpeed(10, "metric")).toBe("36.0 km/h");
    expect(formatSpeed(10, "imperial")).toBe("22.4 mph");
    expect(showsPace("running")).toBe(true);
    expect(showsPace("cycling")).toBe(false);
    expect(showsPace(undefined)).toBe(false);
  });

  it("names the splits by what they were cut by, whatever the units are now", () => {
    const km = [{ distance_m: 1000 }, { distance_m: 1000 }, { distance_m: 200 }];
    const miles = [{ distance_m: 1609.344 }, { distance_m: 390.656 }];
    expect(splitUnit(km, "imperial")).toBe("km");
    expect(splitUnit(miles, "metric")).toBe("mi");
    expect(splitUnit([{ distance_m: 400 }], "imperial")).toBe("mi"); // one short split: the units say
  });
});

describe("the route and its profile", () => {
  // Along the meridian: 0.01° of latitude is 1,111.95 m on the mean Earth radius.
  const meridian = [
    [0, 45, 100],
    [0, 45.005, 150],
    [0, 45.01, 120],
  ];

  it("measures along the meridian", () => {
    expect(haversine([0, 45], [0, 45.01])).toBeCloseTo(1111.95, 1);
  });

  it("projects north up, at the same scale both ways, inside the box", () => {
    const drawn = projectRoute(meridian, 200, 100, 10);
    expect(drawn).toBeDefined();
    if (!drawn) return;
    // A south-to-north line: straight up the middle, from the bottom edge to the top edge.
    expect(drawn.start).toEqual([100, 90]);
    expect(drawn.end).toEqual([100, 10]);
    expect(drawn.points).toBe("100,90 100,50 100,10");
    // A square at 60° north is half as wide in degrees of longitude as it is tall: drawn square.
    const square = projectRoute(
      [
        [0, 60],
        [0.02, 60],
        [0.02, 60.01],
        [0, 60.01],
      ],
      120,
      120,
      10,
    );
    expect(square?.points).toBe("10,110 110,110 110,10 10,10");
    expect(projectRoute([[0, 0]], 100, 100)).toBeUndefined();
  });

  it("profiles elevation over distance, skipping points without one", () => {
    const profile = elevationProfile([...meridian, [0, 45.015]]);
    expect(profile.map((point) => point.elevation)).toEqual([100, 150, 120]);
    expect(profile[2].distance).toBeCloseTo(1111.95, 1);
    const drawn = profilePath(profile, 104, 54, 2);
    expect(drawn).toMatchObject({ low: 100, high: 150 });
    // Closed on the bottom edge, the highest point at the top.
    expect(drawn?.points.split(" ")).toEqual(["2,52", "2,52", "52,2", "102,32", "102,52"]);
    expect(profilePath([{ distance: 0, elevation: 5 }], 100, 50)).toBeUndefined();
  });
});

describe("personal records", () => {
  it("names each record and shows it as a time, a distance or a climb", () => {
    expect(recordLabel("5k")).toBe("Fastest 5 km");
    expect(recordLabel("half_marathon")).toBe("Fastest half marathon");
    expect(formatRecord("5k", 25 * 60, "s", "metric")).toBe("25:00");
    expect(formatRecord("marathon", 3 * 3600 + 59, "s", "imperial")).toBe("3:00:59");
    expect(formatRecord("longest_distance", 42_195, "m", "imperial")).toBe("26.22 mi");
    expect(formatRecord("biggest_climb", 1000, "m", "metric")).toBe("1000 m");
    expect(formatRecord("biggest_climb", 1000, "m", "imperial")).toBe("3281 ft");
  });

  it("lists the records in the card's order", () => {
    const at = "2026-12-05T07:00:00Z";
    const records = {
      updated_at: at,
      items: [
        { name: "longest_distance", value: 10_000, unit: "m", workout_id: "a", started_at: at },
        { name: "5k", value: 1500, unit: "s", workout_id: "b", started_at: at },
        { name: "1k", value: 280, unit: "s", workout_id: "b", started_at: at },
      ],
    } as const;
    expect(inCardOrder({ ...records, items: [...records.items] }).map((record) => record.name)).toEqual(["1k", "5k", "longest_distance"]);
    expect(inCardOrder({ updated_at: null, items: [] })).toEqual([]);
  });
});
