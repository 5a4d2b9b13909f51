import { describe, expect, it } from "vitest";
import type { Api } from "../src/api";
import { ApiError } from "../src/api";
import { sendActivity } from "../src/activityUpload";

const GPX = `<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg/></trk></gpx>`;
const WORKOUT = { id: "w1", started_at: "2026-12-05T07:00:00Z", title: "Run" };

type Request = { method: string; path: string; contentType?: string; body?: unknown; params?: unknown };
type Scripted = { status: number; location: string | null; data: unknown };

/** An API that answers from a script, one answer (or refusal) per request, and records them: its
 * `call` and `callFull` hand the request a client whose GET and POST record what the page sent. */
function scripted(answers: (Scripted | ApiError)[]) {
  const requests: Request[] = [];
  type Options = { body?: unknown; bodySerializer?: (body: unknown) => unknown; headers?: Record<string, string>; params?: unknown };
  const answer = (method: string) => async (path: string, options: Options = {}) => {
    const body = options.bodySerializer ? options.bodySerializer(options.body) : options.body;
    requests.push({ method, path, contentType: options.headers?.["Content-Type"], body, params: options.params });
    const next = answers.shift();
    if (!next) throw new Error(`no answer scripted for ${method} ${path}`);
    if (next instanceof ApiError) throw next;
    return next;
  };
  const client = { GET: answer("GET"), POST: answer("POST") };
  type Request_ = (fake: typeof client) => Promise<Scripted>;
  const api = {
    callFull: async (request: Request_) => request(client),
    call: async (request: Request_) => (await request(client)).data,
  } as unknown as Api;
  return { api, requests };
}

const file = (name: string, text: string) => new File([text], name);
const noWait = async () => undefined;

describe("sending an activity file", () => {
  it("sends a small file as the body with its format's media type, and takes the new workout", async () => {
    const { api, requests } = scripted([{ status: 201, location: null, data: WORKOUT }]);
    const result = await sendActivity(api, file("run.GPX", GPX), () => {}, () => {}, noWait);
    expect(result).toEqual({ kind: "created", workoutId: "w1" });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ path: "/workouts/files", method: "POST", contentType: "application/gpx+xml" });
    expect(requests[0].body).toBeInstanceOf(File);
  });

  it("says when the same file was uploaded before (200)", async () => {
    const { api } = scripted([{ status: 200, location: null, data: WORKOUT }]);
    expect(await sendActivity(api, file("run.gpx", GPX), () => {}, () => {}, noWait)).toEqual({ kind: "duplicate", workoutId: "w1" });
  });

  it("polls a 202's upload until it names the workout", async () => {
    const location = "/workouts/files/m1";
    const { api, requests } = scripted([
      { status: 202, location, data: { id: "m1", status: "processing" } },
      { status: 200, location: null, data: { id: "m1", status: "processing" } },
      { status: 200, location: null, data: { id: "m1", status: "done", workout_id: "w9" } },
    ]);
    const waited: number[] = [];
    let reading = false;
    const result = await sendActivity(
      api,
      file("run.gpx", GPX),
      () => {},
      () => (reading = true),
      async (ms) => void waited.push(ms),
    );
    expect(result).toEqual({ kind: "created", workoutId: "w9" });
    expect(reading).toBe(true);
    expect(requests.slice(1).map((request) => [request.method, request.path, request.params])).toEqual([
      ["GET", "/workouts/files/{media_id}", { path: { media_id: "m1" } }],
      ["GET", "/workouts/files/{media_id}", { path: { media_id: "m1" } }],
    ]);
    expect(waited).toEqual([500, 1000]);
  });

  it("ends the polling with the API's reason when the job fails", async () => {
    const { api } = scripted([
      { status: 202, location: "/workouts/files/m1", data: { id: "m1", status: "processing" } },
      { status: 200, location: null, data: { id: "m1", status: "failed", error: { code: "no_points", message: "The file has no track points." } } },
    ]);
    await expect(sendActivity(api, file("run.gpx", GPX), () => {}, () => {}, noWait)).rejects.toMatchObject({
      message: "The file has no track points.",
    });
  });

  it("refuses a file that is not what its name says before sending anything", async () => {
    const { api, requests } = scripted([]);
    await expect(sendActivity(api, file("run.fit", GPX), () => {}, () => {}, noWait)).rejects.toMatchObject({
      status: 400,
      message: "run.fit does not look like a FIT file inside. Choose another file.",
    });
    await expect(sendActivity(api, file("run.kml", GPX), () => {}, () => {}, noWait)).rejects.toMatchObject({ status: 400 });
    expect(requests).toEqual([]);
  });

  it("passes the API's refusal on (the screen shows its message)", async () => {
    const { api } = scripted([new ApiError(400, "invalid_activity_file", "Timestamps go backwards at point 12.")]);
    await expect(sendActivity(api, file("run.gpx", GPX), () => {}, () => {}, noWait)).rejects.toMatchObject({
      message: "Timestamps go backwards at point 12.",
    });
  });
});
