// A post's comments: read, add, and delete your own or any on your own post (as the API allows).

import { useState } from "react";
import { Api } from "./api";
import { withItem } from "./pages";
import { personName } from "./people";
import type { Comment, Post } from "./types";
import { ActionButton, Alert, Field, Loading, Submit, useForm, useLoad } from "./ui";
import * as check from "./validation";

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
          <li key={comment.id} className="row compact" data-testid="comment">
            <span className="grow">
              <strong data-testid="comment-author">{personName(comment.author_id, comment.author_name, me)}</strong> {comment.text}
            </span>
            {comment.author_id === me || post.author_id === me ? (
              <ActionButton
                onError={setError}
                action={async () => {
                  await api.call((client) => client.DELETE("/comments/{comment_id}", { params: { path: { comment_id: comment.id } } }));
                  comments.setData((current) => current && { ...current, items: current.items.filter((item) => item.id !== comment.id) });
                  onCount(-1);
                }}
              >
                Delete<span className="visually-hidden"> the comment “{comment.text.slice(0, 40)}”</span>
              </ActionButton>
            ) : null}
          </li>
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
