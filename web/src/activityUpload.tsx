// Upload an activity file (GPX, TCX or FIT), dropped on the card or chosen with the picker: up
// to 5 MB as the body of POST /workouts/files with its media type; larger files to the bucket
// first (POST /media/uploads, purpose "activity") and then `{"media_id"}`. The answer: 201 (a new
// workout), 200 (the same file was uploaded before: that workout), 202 (read in the background:
// the Location is polled until it is done). Refusals are shown beside the control. Loaded on
// demand (React.lazy in dashboard.tsx).

import { useEffect, useId, useRef, useState, type DragEvent } from "react";
import {
  ACCEPT,
  ACTIVITY_TYPES,
  UPLOAD_REFUSALS,
  checkActivity,
  formatOf,
  looksLike,
  outcome,
  pollDelay,
  pollState,
  route,
  type UploadOutcome,
} from "./activity";
import { Api, ApiError } from "./api";
import { postToBucket } from "./upload";
import { Link } from "./ui";
import "./activity.css";

type Status =
  | { state: "idle" }
  | { state: "sending"; name: string; progress?: number }
  | { state: "reading"; name: string }
  | { state: "done"; name: string; result: Extract<UploadOutcome, { workoutId: string }> }
  | { state: "refused"; message: string };

const MAX_POLLS = 60;

/** Sends one file; resolves with the workout it became. */
export async function sendActivity(
  api: Api,
  file: File,
  onProgress: (fraction: number) => void,
  onReading: () => void,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => window.setTimeout(resolve, ms)),
): Promise<Extract<UploadOutcome, { workoutId: string }>> {
  const refused = checkActivity(file);
  if (refused) throw new ApiError(400, "invalid_file", refused);
  const format = formatOf(file.name) ?? "gpx";
  const contentType = ACTIVITY_TYPES[format];
  if (!looksLike(format, new Uint8Array(await file.slice(0, 512).arrayBuffer()))) {
    throw new ApiError(400, "invalid_file", `${file.name} does not look like a ${format.toUpperCase()} file inside. Choose another file.`);
  }
  let sent;
  if (route(file.size) === "direct") {
    // The file itself is the body, with its format's media type (not JSON).
    sent = await api.callFull((client) =>
      client.POST("/workouts/files", { body: file as unknown as string, bodySerializer: (body) => body, headers: { "Content-Type": contentType } }),
    );
  } else {
    // Larger files go to the bucket first, then the API is given their id (and reads them in the background).
    const body = { purpose: "activity", content_type: contentType, size_bytes: file.size } as const;
    const started = await api.call((client) => client.POST("/media/uploads", { body }));
    await postToBucket(started.upload, file, onProgress);
    const path = { media_id: started.media_id };
    await api.call((client) => client.POST("/media/{media_id}/complete", { params: { path } }));
    sent = await api.callFull((client) =>
      client.POST("/workouts/files", { body: { media_id: started.media_id }, headers: { "Content-Type": "application/json" } }),
    );
  }
  const result = outcome(sent.status, sent.data, sent.location);
  if (!result) throw new ApiError(sent.status, "unexpected", `The API answered ${sent.status} without the workout. Try again.`);
  if (result.kind !== "pending") return result;
  onReading();
  for (let attempt = 0; attempt < MAX_POLLS; attempt += 1) {
    await wait(pollDelay(attempt));
    let state;
    try {
      // The Location names the upload's state: GET /workouts/files/{media_id}.
      const polled = await api.call((client) => client.GET("/workouts/files/{media_id}", { params: { path: { media_id: result.uploadId } } }));
      state = pollState(200, polled);
    } catch (caught) {
      if (!(caught instanceof ApiError) || caught.status === 0 || caught.status === 401) throw caught;
      state = pollState(caught.status, { error: { message: caught.message } });
    }
    if (state.state === "done") return { kind: "created", workoutId: state.workoutId };
    if (state.state === "failed") throw new ApiError(422, "invalid_activity_file", state.message);
  }
  throw new ApiError(504, "still_reading", "The file is still being read. Its workout will appear in your history when it is done.");
}

export function ActivityUpload({ api, onSaved }: { api: Api; onSaved: () => void }) {
  const id = useId();
  const [status, setStatus] = useState<Status>({ state: "idle" });
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const busy = status.state === "sending" || status.state === "reading";
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  const take = (file: File | undefined) => {
    if (!file || busy) return;
    setStatus({ state: "sending", name: file.name });
    sendActivity(
      api,
      file,
      (progress) => alive.current && setStatus({ state: "sending", name: file.name, progress }),
      () => alive.current && setStatus({ state: "reading", name: file.name }),
    ).then(
      (result) => {
        if (!alive.current) return;
        setStatus({ state: "done", name: file.name, result });
        if (input.current) input.current.value = "";
        if (result.kind === "created") onSaved();
      },
      (caught: unknown) => {
        if (!alive.current) return;
        if (input.current) input.current.value = "";
        if (!(caught instanceof ApiError)) throw caught;
        if (caught.status === 401) return setStatus({ state: "idle" });
        setStatus({ state: "refused", message: UPLOAD_REFUSALS[caught.status] ?? caught.message });
      },
    );
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    take(event.dataTransfer.files[0]);
  };

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Upload an activity</h2>
      <div
        className={dragging ? "drop-zone dragging" : "drop-zone"}
        data-testid="drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>Drop a GPX, TCX or FIT file from your watch, phone or bike computer here, or choose one.</p>
        <label htmlFor={`${id}-file`}>Activity file</label>
        <input
          ref={input}
          id={`${id}-file`}
          type="file"
          accept={ACCEPT}
          disabled={busy}
          aria-describedby={`${id}-status`}
          onChange={(event) => take(event.target.files?.[0])}
        />
      </div>
      <div id={`${id}-status`} className="upload-status">
        <UploadStatus status={status} />
      </div>
    </section>
  );
}

function UploadStatus({ status }: { status: Status }) {
  switch (status.state) {
    case "idle":
      return null;
    case "sending":
      return (
        <div role="status">
          <p>Sending {status.name}…</p>
          {status.progress !== undefined ? (
            <progress className="upload-progress" max={1} value={status.progress} aria-label={`Sending ${status.name}`} />
          ) : null}
        </div>
      );
    case "reading":
      return <p role="status">Reading {status.name}: distance, splits and route…</p>;
    case "refused":
      return (
        <p className="alert alert-error" role="alert" data-testid="upload-error">
          {status.message}
        </p>
      );
    case "done":
      return (
        <p role="status" data-testid="upload-done">
          {status.result.kind === "duplicate" ? `${status.name} was already uploaded. ` : `${status.name} is saved. `}
          <Link to={`/workouts/${status.result.workoutId}`}>See the workout</Link>
        </p>
      );
  }
}
