// The video library: the tenant's videos, filtered by tag; a player that plays from the signed
// stream link, reports how far you got (forward only, as the API keeps it) and resumes there;
// coaches and admins upload an MP4 (with its progress) and add it, edit it or delete it.

import { useEffect, useRef, useState } from "react";
import { Api } from "./api";
import { fileReader, mp4Duration } from "./mp4";
import { withItem } from "./pages";
import type { Me, Video } from "./types";
import { ActionButton, Alert, Field, Link, Loading, Submit, failure, navigate, useForm, useLoad } from "./ui";
import { upload, UPLOAD_RULES } from "./upload";
import * as check from "./validation";

/** How often, at most, the player reports its position while playing. */
const REPORT_EVERY_S = 5;

export function duration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(Math.floor(seconds % 60)).padStart(2, "0")}`;
}

function isStaff(me?: Me): boolean {
  return me?.role === "admin" || me?.role === "coach";
}

export function VideosPage({ api, path }: { api: Api; path: string }) {
  const me = useLoad(() => api.call((client) => client.GET("/me")), [api]);
  const videoId = path.startsWith("/videos/") ? decodeURIComponent(path.slice("/videos/".length)) : undefined;
  return videoId ? <Player key={videoId} api={api} videoId={videoId} me={me.data} /> : <Library api={api} me={me.data} />;
}

function Library({ api, me }: { api: Api; me?: Me }) {
  const [tag, setTag] = useState(() => new URLSearchParams(window.location.search).get("tag") ?? "");
  const [typed, setTyped] = useState(tag);
  const [tagError, setTagError] = useState<string>();
  // The address is the filter: the navigation's Videos link (/videos) clears it, Back restores it.
  useEffect(() => {
    const follow = () => {
      const fromAddress = new URLSearchParams(window.location.search).get("tag") ?? "";
      setTag(fromAddress);
      setTyped(fromAddress);
      setTagError(undefined);
    };
    window.addEventListener("popstate", follow);
    return () => window.removeEventListener("popstate", follow);
  }, []);
  const videos = useLoad(
    () => api.call((client) => client.GET("/videos", { params: { query: tag ? { tag, limit: 50 } : { limit: 50 } } })),
    [api, tag],
  );

  function filter(next: string) {
    const cleaned = next.trim().toLowerCase();
    if (cleaned && !check.tag(cleaned)) {
      setTagError("A tag is lower-case letters and digits, joined by hyphens, like push-up.");
      return;
    }
    setTagError(undefined);
    setTyped(cleaned);
    setTag(cleaned);
    window.history.replaceState(null, "", cleaned ? `/videos?tag=${encodeURIComponent(cleaned)}` : "/videos");
  }

  return (
    <main id="main" tabIndex={-1}>
      <h1>Videos</h1>
      {isStaff(me) ? <AddVideo api={api} onAdded={(video) => videos.setData((current) => withItem(current, video, "first"))} /> : null}
      <section className="card" aria-labelledby="library-heading">
        <h2 id="library-heading">{tag ? `Videos tagged ${tag}` : "Library"}</h2>
        <form
          className="row compact"
          role="search"
          aria-label="Filter by tag"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            filter(typed);
          }}
        >
          <Field label="Tag" name="tag" value={typed} onChange={setTyped} error={tagError} hint="Like squat or push-up." />
          <button type="submit" className="secondary">
            Filter
          </button>
          {tag ? (
            <button type="button" className="secondary" onClick={() => filter("")}>
              Show all
            </button>
          ) : null}
        </form>
        <Alert message={videos.error} />
        {videos.loading ? <Loading what="videos" /> : null}
        {videos.data?.items.length === 0 ? (
          <p className="muted" data-testid="no-videos">
            {tag ? `No video is tagged ${tag}.` : isStaff(me) ? "No videos yet: add the first above." : "No videos yet: your coaches add them."}
          </p>
        ) : null}
        <ul className="plain">
          {videos.data?.items.map((video) => (
            <li key={video.id} className="row compact" data-testid="video">
              <span className="grow">
                <strong>{video.title}</strong> <span className="muted">{duration(video.duration_s)}</span>
                <br />
                {video.tags.map((name) => (
                  <button key={name} type="button" className="chip" onClick={() => filter(name)}>
                    #{name}
                  </button>
                ))}
              </span>
              <Link to={`/videos/${video.id}`} className="button secondary">
                Play<span className="visually-hidden"> {video.title}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}

function AddVideo({ api, onAdded }: { api: Api; onAdded: (video: Video) => void }) {
  const form = useForm({ title: "", description: "", tags: "", duration_s: "" });
  const [file, setFile] = useState<File>();
  const [fileError, setFileError] = useState<string>();
  const [progress, setProgress] = useState<number>();
  const [added, setAdded] = useState<string>();
  const input = useRef<HTMLInputElement>(null);

  async function choose(chosen?: File) {
    setFile(chosen);
    setFileError(chosen ? check.uploadFile("video", chosen) : undefined);
    if (chosen && !form.values.title) form.setValues((current) => ({ ...current, title: chosen.name.replace(/\.mp4$/i, "") }));
    const seconds = chosen ? await mp4Duration(fileReader(chosen), chosen.size).catch(() => undefined) : undefined;
    if (seconds) form.setValues((current) => ({ ...current, duration_s: String(seconds) }));
  }

  return (
    <section className="card" aria-labelledby="add-video-heading">
      <h2 id="add-video-heading">Add a video</h2>
      <form
        ref={form.formRef}
        noValidate
        aria-labelledby="add-video-heading"
        onSubmit={(event) => {
          event.preventDefault();
          setAdded(undefined);
          void form.submit(
            (values) => {
              const errors = check.video(values);
              const refused = file ? check.uploadFile("video", file) : "Choose an MP4 file.";
              setFileError(refused);
              return refused ? { ...errors, file: refused } : errors;
            },
            async (values) => {
              if (!file) return;
              setProgress(0);
              try {
                const media = await upload(api, "video", file, setProgress);
                const body = {
                  media_id: media.id,
                  title: values.title.trim(),
                  description: values.description.trim(),
                  duration_s: Number(values.duration_s),
                  tags: check.tags(values.tags),
                };
                const video = await api.call((client) => client.POST("/videos", { body }));
                onAdded(video);
                setAdded(`“${video.title}” is in the library.`);
                form.setValues({ title: "", description: "", tags: "", duration_s: "" });
                setFile(undefined);
                if (input.current) input.current.value = "";
              } finally {
                setProgress(undefined);
              }
            },
            { media_id: "file", duration_s: "duration_s" },
          );
        }}
      >
        <Alert message={form.formError} />
        <Alert tone="info" message={added} />
        <div className={fileError ? "field field-invalid" : "field"}>
          <label htmlFor="video-file">MP4 file</label>
          <p className="hint" id="video-file-hint">
            Up to {UPLOAD_RULES.video.maxBytes / 1024 / 1024} MB.
          </p>
          <input
            ref={input}
            id="video-file"
            type="file"
            accept="video/mp4"
            aria-describedby={fileError ? "video-file-hint video-file-error" : "video-file-hint"}
            aria-invalid={fileError ? true : undefined}
            onChange={(event) => void choose(event.target.files?.[0])}
          />
          {fileError ? (
            <p className="error" id="video-file-error" data-error-for="file">
              {fileError}
            </p>
          ) : null}
        </div>
        <div className="row">
          <Field label="Title" name="title" required value={form.values.title} onChange={form.set("title")} error={form.errors.title} />
          <Field label="Length (seconds)" name="duration_s" required inputMode="numeric" value={form.values.duration_s} onChange={form.set("duration_s")} error={form.errors.duration_s} hint="Read from the file when it says." />
        </div>
        <Field label="Tags" name="tags" hint="Separated by commas, like squat, legs. An exercise's tag links the video to programs." value={form.values.tags} onChange={form.set("tags")} error={form.errors.tags} />
        <Field label="Description" name="description" multiline value={form.values.description} onChange={form.set("description")} error={form.errors.description} />
        <div className="upload-progress" aria-live="polite">
          {progress !== undefined ? (
            <>
              <label htmlFor="video-progress">Uploading… {Math.round(progress * 100)}%</label>
              <progress id="video-progress" max={1} value={progress} />
            </>
          ) : null}
        </div>
        <Submit busy={form.busy}>Upload and add</Submit>
      </form>
    </section>
  );
}

function Player({ api, videoId, me }: { api: Api; videoId: string; me?: Me }) {
  const path = { video_id: videoId };
  const loaded = useLoad(async () => {
    const [video, progress, stream] = await Promise.all([
      api.call((client) => client.GET("/videos/{video_id}", { params: { path } })),
      api.call((client) => client.GET("/videos/{video_id}/progress", { params: { path } })),
      api.call((client) => client.GET("/videos/{video_id}/stream", { params: { path } })),
    ]);
    return { video, progress, stream };
  }, [api, videoId]);
  const element = useRef<HTMLVideoElement>(null);
  const reported = useRef(0);
  const retried = useRef(false);
  const [playError, setPlayError] = useState<string>();
  const [saved, setSaved] = useState<number>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (loaded.data) reported.current = loaded.data.progress.position_s;
  }, [loaded.data]);

  async function report(position: number, completed = false) {
    // Forward only: the API keeps the furthest position, so going back reports nothing.
    if (!completed && position <= reported.current) return;
    reported.current = Math.max(reported.current, position);
    try {
      const progress = await api.call((client) => client.PUT("/videos/{video_id}/progress", { params: { path }, body: { position_s: position, completed } }));
      setSaved(progress.position_s);
    } catch (caught) {
      setError(failure(caught));
    }
  }

  /** The link lasts 5 minutes: a failure asks for a fresh one, once, before saying so. */
  async function playFailed() {
    if (!retried.current && loaded.data) {
      retried.current = true;
      try {
        const stream = await api.call((client) => client.GET("/videos/{video_id}/stream", { params: { path } }));
        if (stream.url === loaded.data.stream.url) element.current?.load(); // signed in the same second
        else loaded.setData({ ...loaded.data, stream });
        return;
      } catch (caught) {
        setError(failure(caught));
      }
    }
    setPlayError("This video cannot be played here: its file could not be loaded, or this browser cannot play its format. Reload the page to try again; if it still fails, ask your coach for another file.");
  }

  const data = loaded.data;
  const resumeAt = data && !data.progress.completed && data.progress.position_s > 0 ? data.progress.position_s : 0;
  return (
    <main id="main" tabIndex={-1}>
      <p>
        <Link to="/videos">← All videos</Link>
      </p>
      <h1>{data?.video.title ?? "Video"}</h1>
      <Alert message={loaded.error ?? error} />
      {loaded.loading ? <Loading what="the video" /> : null}
      {data ? (
        <section className="card player" aria-label="Player">
          <div className="video-frame">
            <video
              ref={element}
              controls
              preload="metadata"
              src={data.stream.url}
              data-testid="player"
              onLoadedMetadata={(event) => {
                if (resumeAt && resumeAt < event.currentTarget.duration) event.currentTarget.currentTime = resumeAt;
              }}
              onTimeUpdate={(event) => {
                const position = Math.floor(event.currentTarget.currentTime);
                if (position - reported.current >= REPORT_EVERY_S) void report(position);
              }}
              onPause={(event) => void report(Math.floor(event.currentTarget.currentTime))}
              onEnded={(event) => void report(Math.floor(event.currentTarget.duration), true)}
              onError={() => void playFailed()}
            />
          </div>
          <Alert message={playError} />
          <p className="muted" data-testid="resume" aria-live="polite">
            {saved !== undefined
              ? `Progress saved at ${duration(saved)}.`
              : data.progress.completed
                ? "You watched this to the end."
                : resumeAt
                  ? `Resuming where you left off, at ${duration(resumeAt)}.`
                  : `${duration(data.video.duration_s)} long.`}
          </p>
          {data.video.description ? <p>{data.video.description}</p> : null}
          <p>
            {data.video.tags.map((name) => (
              <Link key={name} to={`/videos?tag=${encodeURIComponent(name)}`} className="chip">
                #{name}
              </Link>
            ))}
          </p>
          {isStaff(me) && (me?.role === "admin" || data.video.created_by === me?.user_id) ? (
            <ManageVideo api={api} video={data.video} onSaved={(video) => loaded.setData({ ...data, video })} />
          ) : null}
        </section>
      ) : null}
    </main>
  );
}

function ManageVideo({ api, video, onSaved }: { api: Api; video: Video; onSaved: (video: Video) => void }) {
  const form = useForm({ title: video.title, tags: video.tags.join(", ") });
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const params = { path: { video_id: video.id }, header: { "If-Match": String(video.version) } };
  return (
    <section aria-labelledby="manage-heading" className="stack">
      <h2 id="manage-heading">Edit or delete</h2>
      <form
        ref={form.formRef}
        noValidate
        aria-labelledby="manage-heading"
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(
            (values) => check.video({ ...values, description: "", duration_s: "1" }),
            async (values) => {
              const body = { title: values.title.trim(), tags: check.tags(values.tags) };
              onSaved(await api.call((client) => client.PATCH("/videos/{video_id}", { params, body })));
            },
          );
        }}
      >
        <Alert message={form.formError} />
        <div className="row">
          <Field label="Title" name="title" required value={form.values.title} onChange={form.set("title")} error={form.errors.title} />
          <Field label="Tags" name="tags" value={form.values.tags} onChange={form.set("tags")} error={form.errors.tags} />
        </div>
        <Submit busy={form.busy}>Save changes</Submit>
      </form>
      <Alert message={error} />
      {confirming ? (
        <div className="row compact" role="group" aria-label="Confirm deletion">
          <span>Delete “{video.title}” and its file for everyone?</span>
          <ActionButton
            className="danger"
            onError={setError}
            action={async () => {
              await api.call((client) => client.DELETE("/videos/{video_id}", { params }));
              navigate("/videos");
            }}
          >
            Yes, delete the video
          </ActionButton>
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </div>
      ) : (
        <button type="button" className="secondary" onClick={() => setConfirming(true)}>
          Delete video
        </button>
      )}
    </section>
  );
}
