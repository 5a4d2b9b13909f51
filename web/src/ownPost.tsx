// Your own post in the feed: edit its text (with If-Match: a 412 is explained, with a reload)
// or delete it after a confirmation.

import { useEffect, useRef, useState } from "react";
import { Api } from "./api";
import type { Post } from "./types";
import { Alert, Field, Submit, failure, useForm } from "./ui";
import * as check from "./validation";
import { ConflictAlert, useVersionedEdit } from "./versionedEdit";

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

  const { conflict, setConflict, save, refused } = useVersionedEdit(post.version, () => setMode("view"));

  const to = (next: Mode, focus: typeof focusNext.current) => {
    focusNext.current = focus;
    setMode(next);
  };

  const conflictAlert = <ConflictAlert what="the feed" onReload={onReload} />;

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
                saved = await save(() => api.call((client) => client.PATCH("/posts/{post_id}", { params, body: { text: values.text.trim() } })));
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
                  setError(refused(caught, failure));
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
