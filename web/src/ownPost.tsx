// Your own post in the feed: edit its text (with If-Match: a 412 is explained, with a reload)
// or delete it after a confirmation.

import { useEffect, useRef, useState } from "react";
import { Api, ApiError } from "./api";
import { CHANGED_ELSEWHERE, changedElsewhere } from "./history";
import type { Post } from "./types";
import { Alert, Field, Submit, failure, useForm } from "./ui";
import * as check from "./validation";

type Mode = "view" | "edit" | "confirm";

export function OwnPost({
  api,
  post,
  onSaved,
  onDeleted,
  onReload,
}: {
  api: Api;
  post: Post;
  onSaved: (post: Post) => void;
  onDeleted: () => void;
  onReload: () => void;
}) {
  const [mode, setMode] = useState<Mode>("view");
  const [conflict, setConflict] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useForm({ text: post.text });
  const editButton = useRef<HTMLButtonElement>(null);
  // Asked to confirm, the safe answer has the focus: Enter there keeps the entry.
  const keepButton = useRef<HTMLButtonElement>(null);
  const focusNext = useRef<"edit" | "confirm" | "text" | null>(null);
  const params = { path: { post_id: post.id }, header: { "If-Match": String(post.version) } };

  useEffect(() => {
    const target = focusNext.current;
    focusNext.current = null;
    if (target === "edit") editButton.current?.focus();
    else if (target === "confirm") keepButton.current?.focus();
    else if (target === "text") form.formRef.current?.querySelector<HTMLElement>("textarea")?.focus();
  }, [mode, form.formRef]);

  // Read again after a reload: the post as stored now.
  const shownVersion = useRef(post.version);
  useEffect(() => {
    if (shownVersion.current === post.version) return;
    shownVersion.current = post.version;
    setConflict(false);
    setMode("view");
  }, [post.version]);

  const to = (next: Mode, focus: typeof focusNext.current) => {
    focusNext.current = focus;
    setMode(next);
  };

  const conflictAlert = conflict ? (
    <div className="alert alert-error conflict" role="alert">
      <p>{CHANGED_ELSEWHERE}</p>
      <button type="button" className="secondary" onClick={onReload}>
        Reload<span className="visually-hidden"> the feed</span>
      </button>
    </div>
  ) : null;

  if (mode === "edit") {
    return (
      <form
        ref={form.formRef}
        noValidate
        aria-label="Edit your post"
        onSubmit={(event) => {
          event.preventDefault();
          setConflict(false);
          let saved: Post | undefined;
          void form
            .submit(
              (values) => check.post(values.text),
              async (values) => {
                if (values.text.trim() === post.text) return;
                try {
                  saved = await api.call((client) => client.PATCH("/posts/{post_id}", { params, body: { text: values.text.trim() } }));
                } catch (caught) {
                  if (changedElsewhere(caught)) {
                    setConflict(true);
                    throw new ApiError(412, "version_mismatch", "");
                  }
                  throw caught;
                }
              },
            )
            .then((ok) => {
              if (!ok) return;
              if (saved) onSaved(saved);
              to("view", "edit");
            });
        }}
      >
        {conflict ? conflictAlert : <Alert message={form.formError} />}
        <Field label="Your post" name="text" required multiline value={form.values.text} onChange={form.set("text")} error={form.errors.text} />
        <div className="row compact">
          <Submit busy={form.busy}>Save post</Submit>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              form.setValues({ text: post.text });
              form.setErrors({});
              setConflict(false);
              to("view", "edit");
            }}
          >
            Cancel
          </button>
        </div>
      </form>
    );
  }

  return (
    <>
      {conflict ? conflictAlert : <Alert message={error} />}
      {mode === "confirm" ? (
        <div className="row compact confirm" role="group" aria-label="Delete your post?">
          <span>Delete your post, with its comments and likes? This cannot be undone.</span>
          <button
            type="button"
            className="danger"
            disabled={busy}
            aria-busy={busy || undefined}
            onClick={() => {
              setBusy(true);
              setError(undefined);
              setConflict(false);
              api
                .call((client) => client.DELETE("/posts/{post_id}", { params }))
                .then(onDeleted, (caught: unknown) => {
                  if (changedElsewhere(caught)) setConflict(true);
                  else setError(failure(caught));
                  to("view", "edit");
                })
                .finally(() => setBusy(false));
            }}
          >
            Delete post
          </button>
          <button ref={keepButton} type="button" className="secondary" onClick={() => to("view", "edit")}>
            Keep post
          </button>
        </div>
      ) : (
        <>
          <button
            ref={editButton}
            type="button"
            className="secondary"
            onClick={() => {
              form.setValues({ text: post.text });
              setError(undefined);
              to("edit", "text");
            }}
          >
            Edit<span className="visually-hidden"> your post</span>
          </button>
          <button type="button" className="secondary" onClick={() => to("confirm", "confirm")}>
            Delete<span className="visually-hidden"> your post</span>
          </button>
        </>
      )}
    </>
  );
}
