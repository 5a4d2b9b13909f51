// A post's comments: read, add, edit your own in place (If-Match: a 412 is explained, with a
// reload), and delete your own or any on your own post (as the API allows).

import { useEffect, useRef, useState } from "react";
import { Api } from "./api";
import { withItem } from "./pages";
import { personName } from "./people";
import type { Comment, Post } from "./types";
import { ActionButton, Alert, Field, Loading, Submit, useForm, useLoad } from "./ui";
import * as check from "./validation";
import { ConflictAlert, useVersionedEdit } from "./versionedEdit";

export function Comments({ api, post, me, onCount }: { api: Api; post: Post; me: string; onCount: (delta: number) => void }) {
  const path = { post_id: post.id };
  const comments = useLoad(() => api.call((client) => client.GET("/posts/{post_id}/comments", { params: { path, query: { limit: 50 } } })), [api, post.id]);
  const [error, setError] = useState<string>();
  const form = useForm({ text: "" });
  const headingId = `comments-${post.id}`;
  const items: Comment[] = comments.data?.items ?? [];

  return (
    <section className="comments" aria-labelledby={headingId}>
      <h3 id={headingId} className="visually-hidden">
        Comments on this post
      </h3>
      <Alert message={comments.error ?? error} />
      {comments.loading ? <Loading what="comments" /> : null}
      {comments.data && items.length === 0 ? <p className="muted">No comments yet.</p> : null}
      <ul className="plain">
        {items.map((comment) => (
          <CommentRow
            key={comment.id}
            api={api}
            comment={comment}
            me={me}
            mayDelete={comment.author_id === me || post.author_id === me}
            onError={setError}
            onSaved={(saved) => comments.setData((current) => current && { ...current, items: current.items.map((item) => (item.id === saved.id ? saved : item)) })}
            onDeleted={() => {
              comments.setData((current) => current && { ...current, items: current.items.filter((item) => item.id !== comment.id) });
              onCount(-1);
            }}
            onReload={comments.reload}
          />
        ))}
      </ul>
      <form
        ref={form.formRef}
        noValidate
        aria-label="Add a comment"
        onSubmit={(event) => {
          event.preventDefault();
          void form
            .submit(
              (values) => check.comment(values.text),
              async (values) => {
                const comment = await api.call((client) => client.POST("/posts/{post_id}/comments", { params: { path }, body: { text: values.text.trim() } }));
                comments.setData((current) => withItem(current, comment, "last"));
                onCount(1);
              },
            )
            .then((saved) => saved && form.setValues({ text: "" }));
        }}
      >
        <Alert message={form.formError} />
        <div className="row compact">
          <Field label="Comment" name="text" required value={form.values.text} onChange={form.set("text")} error={form.errors.text} />
          <Submit busy={form.busy}>Comment</Submit>
        </div>
      </form>
    </section>
  );
}

/** One comment: its author's Edit opens the text in place (Save/Cancel); "edited" once changed. */
function CommentRow({
  api,
  comment,
  me,
  mayDelete,
  onError,
  onSaved,
  onDeleted,
  onReload,
}: {
  api: Api;
  comment: Comment;
  me: string;
  mayDelete: boolean;
  onError: (message: string | undefined) => void;
  onSaved: (comment: Comment) => void;
  onDeleted: () => void;
  onReload: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const form = useForm({ text: comment.text });
  const editButton = useRef<HTMLButtonElement>(null);
  const focusNext = useRef<"edit" | "text" | null>(null);
  const preview = comment.text.slice(0, 40);

  useEffect(() => {
    const target = focusNext.current;
    focusNext.current = null;
    if (target === "edit") editButton.current?.focus();
    else if (target === "text") form.formRef.current?.querySelector<HTMLElement>("input")?.focus();
  }, [editing, form.formRef]);

  const { conflict, setConflict, save } = useVersionedEdit(comment.version, () => setEditing(false));

  const close = () => {
    focusNext.current = "edit";
    setEditing(false);
  };

  if (editing) {
    return (
      <li className="comment-edit" data-testid="comment">
        <form
          ref={form.formRef}
          noValidate
          aria-label="Edit your comment"
          onSubmit={(event) => {
            event.preventDefault();
            setConflict(false);
            let saved: Comment | undefined;
            void form
              .submit(
                (values) => check.comment(values.text),
                async (values) => {
                  if (values.text.trim() === comment.text) return;
                  saved = await save(() =>
                    api.call((client) =>
                      client.PATCH("/comments/{comment_id}", {
                        params: { path: { comment_id: comment.id }, header: { "If-Match": String(comment.version) } },
                        body: { text: values.text.trim() },
                      }),
                    ),
                  );
                },
              )
              .then((ok) => {
                if (!ok) return;
                if (saved) onSaved(saved);
                close();
              });
          }}
        >
          {conflict ? <ConflictAlert what="the comments" onReload={onReload} /> : <Alert message={form.formError} />}
          <div className="row compact">
            <Field label="Your comment" name="text" required value={form.values.text} onChange={form.set("text")} error={form.errors.text} />
            <Submit busy={form.busy}>Save comment</Submit>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                form.setValues({ text: comment.text });
                form.setErrors({});
                setConflict(false);
                close();
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      </li>
    );
  }

  return (
    <li className="row compact" data-testid="comment">
      <span className="grow">
        <strong data-testid="comment-author">{personName(comment.author_id, comment.author_name, me)}</strong> {comment.text}
        {comment.edited_at ? (
          <>
            {" "}
            <time className="muted" dateTime={comment.edited_at} title={`Edited ${new Date(comment.edited_at).toLocaleString()}`} data-testid="comment-edited">
              (edited)
            </time>
          </>
        ) : null}
      </span>
      {comment.author_id === me ? (
        <button
          ref={editButton}
          type="button"
          className="secondary"
          onClick={() => {
            form.setValues({ text: comment.text });
            form.setErrors({});
            onError(undefined);
            focusNext.current = "text";
            setEditing(true);
          }}
        >
          Edit<span className="visually-hidden"> the comment “{preview}”</span>
        </button>
      ) : null}
      {mayDelete ? (
        <ActionButton
          onError={onError}
          action={async () => {
            await api.call((client) => client.DELETE("/comments/{comment_id}", { params: { path: { comment_id: comment.id } } }));
            onDeleted();
          }}
        >
          Delete<span className="visually-hidden"> the comment “{preview}”</span>
        </ActionButton>
      ) : null}
    </li>
  );
}
