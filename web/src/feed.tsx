// The feed: your tenant's posts, newest first, with likes.

import { useCallback, useEffect, useState } from "react";
import { Api, ApiError } from "./api";
import type { Me, Post } from "./types";
import { Alert, Field, Submit, useForm } from "./ui";
import * as check from "./validation";

export function Feed({ api }: { api: Api }) {
  const [posts, setPosts] = useState<Post[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [me, setMe] = useState<Me>();
  const [error, setError] = useState<string>();
  const [loaded, setLoaded] = useState(false);
  const form = useForm({ text: "" });

  const fail = (caught: unknown) => {
    if (caught instanceof ApiError && caught.status !== 401) setError(caught.message);
  };

  const load = useCallback(
    async (after: string | null = null) => {
      try {
        const query = after ? { limit: 20, cursor: after } : { limit: 20 };
        const page = await api.call((client) => client.GET("/feed", { params: { query } }));
        setPosts((current) => (after ? [...current, ...page.items] : page.items));
        setCursor(page.next_cursor);
        setLoaded(true);
      } catch (caught) {
        fail(caught);
      }
    },
    [api],
  );

  useEffect(() => {
    void load();
    api.call((client) => client.GET("/me")).then(setMe, fail);
  }, [api, load]);

  async function toggleLike(post: Post) {
    const liked = !post.liked_by_me;
    const apply = (like: boolean) =>
      setPosts((current) =>
        current.map((item) => (item.id === post.id ? { ...item, liked_by_me: like, like_count: item.like_count + (like ? 1 : -1) } : item)),
      );
    apply(liked); // shown at once, taken back if the API refuses
    try {
      const params = { path: { post_id: post.id } };
      await api.call((client) => (liked ? client.PUT("/posts/{post_id}/like", { params }) : client.DELETE("/posts/{post_id}/like", { params })));
    } catch (caught) {
      apply(!liked);
      fail(caught);
    }
  }

  return (
    <main id="main" tabIndex={-1} className="feed">
      <h1>Feed</h1>
      <Alert message={error} />
      <section className="card" aria-labelledby="compose-heading">
        <h2 id="compose-heading">Share something</h2>
        <form
          ref={form.formRef}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void form
              .submit(
                (values) => check.post(values.text),
                async (values) => {
                  const post = await api.call((client) => client.POST("/posts", { body: { text: values.text.trim() } }));
                  setPosts((current) => [post, ...current.filter((shown) => shown.id !== post.id)]); // the first page may already hold it
                },
              )
              .then((saved) => saved && form.setValues({ text: "" }));
          }}
        >
          <Alert message={form.formError} />
          <Field label="Post" name="text" required multiline value={form.values.text} onChange={form.set("text")} error={form.errors.text} />
          <Submit busy={form.busy}>Post</Submit>
        </form>
      </section>
      {loaded && posts.length === 0 ? <p className="muted">No posts yet. Your gym's posts and yours appear here.</p> : null}
      <ol className="posts" aria-label="Posts">
        {posts.map((post) => (
          <li key={post.id} className="card post" data-testid="post">
            <p className="post-meta">
              <strong>{post.author_id === me?.user_id ? "You" : `Member ${post.author_id.slice(0, 8)}`}</strong>{" "}
              <time dateTime={post.created_at}>{new Date(post.created_at).toLocaleString()}</time>
            </p>
            <p className="post-text">{post.text}</p>
            <button type="button" className="secondary like" aria-pressed={post.liked_by_me} onClick={() => void toggleLike(post)}>
              {post.liked_by_me ? "Liked" : "Like"}
              <span className="visually-hidden"> this post</span> · <span data-testid="like-count">{post.like_count}</span>
              <span className="visually-hidden"> {post.like_count === 1 ? "like" : "likes"}</span>
            </button>
            {post.comment_count ? <span className="muted"> {post.comment_count} comments</span> : null}
          </li>
        ))}
      </ol>
      {cursor ? (
        <button type="button" className="secondary" onClick={() => void load(cursor)}>
          Load more posts
        </button>
      ) : null}
    </main>
  );
}
