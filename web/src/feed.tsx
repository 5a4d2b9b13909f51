// The feed: your tenant's posts, newest first, with their images, likes and comments; a post
// takes up to four images, uploaded straight to the bucket before it is sent.

import { useCallback, useEffect, useRef, useState } from "react";
import { Api, ApiError } from "./api";
import { Comments } from "./comments";
import { formatDateTime } from "./dates";
import { Likers } from "./likes";
import { Freshness } from "./freshness";
import { OwnPost } from "./ownPost";
import { personName } from "./people";
import type { Me, Post } from "./types";
import { Alert, Field, Submit, useForm, useLoad } from "./ui";
import { MAX_POST_IMAGES, formatBytes, upload } from "./upload";
import * as check from "./validation";

export function Feed({ api }: { api: Api }) {
  const [posts, setPosts] = useState<Post[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [me, setMe] = useState<Me>();
  const [error, setError] = useState<string>();
  const [loaded, setLoaded] = useState(false);
  const form = useForm({ text: "", images: "" });
  const images = useImages(api);
  const [open, setOpen] = useState<string>();
  const [liking, setLiking] = useState<ReadonlySet<string>>(new Set());
  const [loadingMore, setLoadingMore] = useState(false);
  const [notice, setNotice] = useState("");
  // Changes made here (a post, a like, a comment count) since the first page was asked for.
  const [freshness] = useState(() => new Freshness());
  const edit = (change: (current: Post[]) => Post[]) => {
    freshness.edited();
    setPosts(change);
  };

  const fail = (caught: unknown) => {
    if (caught instanceof ApiError && caught.status !== 401) setError(caught.message);
  };

  const load = useCallback(
    async (after: string | null = null) => {
      const ticket = after ? null : freshness.begin();
      try {
        const query = after ? { limit: 20, cursor: after } : { limit: 20 };
        const page = await api.call((client) => client.GET("/feed", { params: { query } }));
        // A change made while the first page was on its way may be missing from it: ask again;
        // a later read of the first page answers instead of this one.
        const verdict = ticket ? freshness.verdict(ticket) : "show";
        if (verdict === "again") return load();
        if (verdict === "superseded") return;
        setPosts((current) => (after ? [...current, ...page.items.filter((item) => !current.some((shown) => shown.id === item.id))] : page.items));
        setCursor(page.next_cursor);
        setLoaded(true);
      } catch (caught) {
        fail(caught);
      }
    },
    [api, freshness],
  );

  useEffect(() => {
    void load();
    api.call((client) => client.GET("/me")).then(setMe, fail);
  }, [api, load]);

  async function toggleLike(post: Post) {
    if (liking.has(post.id)) return; // one request a post at a time: two could reach the API in either order
    setLiking((current) => new Set(current).add(post.id));
    const liked = !post.liked_by_me;
    const apply = (like: boolean) =>
      edit((current) =>
        current.map((item) => (item.id === post.id ? { ...item, liked_by_me: like, like_count: item.like_count + (like ? 1 : -1) } : item)),
      );
    apply(liked); // shown at once, taken back if the API refuses
    try {
      const params = { path: { post_id: post.id } };
      await api.call((client) => (liked ? client.PUT("/posts/{post_id}/like", { params }) : client.DELETE("/posts/{post_id}/like", { params })));
    } catch (caught) {
      apply(!liked);
      fail(caught);
    } finally {
      setLiking((current) => {
        const left = new Set(current);
        left.delete(post.id);
        return left;
      });
    }
  }

  async function more() {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    await load(cursor);
    setLoadingMore(false);
  }

  return (
    <main id="main" tabIndex={-1} className="feed">
      <h1>Feed</h1>
      <p className="visually-hidden" role="status" aria-live="polite">
        {notice}
      </p>
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
                (values) => ({ ...check.post(values.text), ...images.errors() }),
                async (values) => {
                  const media_ids = await images.uploadAll();
                  const post = await api.call((client) => client.POST("/posts", { body: { text: values.text.trim(), media_ids } }));
                  edit((current) => [post, ...current.filter((shown) => shown.id !== post.id)]); // the first page may already hold it
                },
              )
              .then((saved) => {
                if (!saved) return;
                form.setValues({ text: "", images: "" });
                images.clear();
              });
          }}
        >
          <Alert message={form.formError} />
          <Field label="Post" name="text" required multiline value={form.values.text} onChange={form.set("text")} error={form.errors.text} />
          <ImagePicker picker={images} error={form.errors.images} />
          <Submit busy={form.busy}>Post</Submit>
        </form>
      </section>
      {loaded && posts.length === 0 ? <p className="muted">No posts yet. Your gym's posts and yours appear here.</p> : null}
      <ol className="posts" aria-label="Posts">
        {posts.map((post) => (
          <li key={post.id} className="card post" data-testid="post">
            <p className="post-meta">
              <strong data-testid="post-author">{personName(post.author_id, post.author_name, me?.user_id)}</strong>{" "}
              <time dateTime={post.created_at}>{formatDateTime(post.created_at)}</time>
              {post.personal ? <span className="muted"> · from your personal space, seen by you only</span> : null}
            </p>
            <p className="post-text">{post.text}</p>
            {post.media_ids.length ? <PostImages api={api} post={post} /> : null}
            {post.personal ? null : post.author_id === me?.user_id ? (
              <OwnPost
                api={api}
                post={post}
                onSaved={(saved) => {
                  edit((current) => current.map((item) => (item.id === saved.id ? { ...item, ...saved } : item)));
                  setNotice("Your post is saved.");
                }}
                onDeleted={() => {
                  edit((current) => current.filter((item) => item.id !== post.id));
                  setNotice("Your post is deleted.");
                  document.getElementById("main")?.focus();
                }}
                onReload={() => void load()}
              />
            ) : null}
            {post.personal ? null : (
              <>
            <button
              type="button"
              className="secondary like"
              aria-pressed={post.liked_by_me}
              aria-busy={liking.has(post.id) || undefined}
              onClick={() => void toggleLike(post)}
            >
              {post.liked_by_me ? "Liked" : "Like"}
              <span className="visually-hidden"> this post</span> · <span data-testid="like-count">{post.like_count}</span>
              <span className="visually-hidden"> {post.like_count === 1 ? "like" : "likes"}</span>
            </button>
            <button type="button" className="secondary" aria-expanded={open === post.id} onClick={() => setOpen(open === post.id ? undefined : post.id)}>
              {post.comment_count === 1 ? "1 comment" : `${post.comment_count} comments`}
            </button>
            {open === post.id && me ? (
              <Comments
                api={api}
                post={post}
                me={me.user_id}
                onCount={(delta) => edit((current) => current.map((item) => (item.id === post.id ? { ...item, comment_count: item.comment_count + delta } : item)))}
              />
            ) : null}
            {post.like_count > 0 && me ? <Likers api={api} post={post} me={me.user_id} /> : null}
              </>
            )}
          </li>
        ))}
      </ol>
      {cursor ? (
        <button type="button" className="secondary" disabled={loadingMore} aria-busy={loadingMore || undefined} onClick={() => void more()}>
          Load more posts
        </button>
      ) : null}
    </main>
  );
}

type Picked = { file: File; error?: string; progress?: number };

/** The images chosen for the next post: each checked as the API checks it, uploaded on send. */
function useImages(api: Api) {
  const [picked, setPicked] = useState<Picked[]>([]);
  const input = useRef<HTMLInputElement>(null);

  async function add(files: File[]) {
    const checked = await Promise.all(files.map(async (file) => ({ file, error: await check.uploadContent("post", file) })));
    setPicked((current) => [...current, ...checked]);
    if (input.current) input.current.value = "";
  }

  function errors(): Record<string, string> {
    if (picked.length > MAX_POST_IMAGES) return { images: `A post takes at most ${MAX_POST_IMAGES} images; remove ${picked.length - MAX_POST_IMAGES}.` };
    const refused = picked.find((item) => item.error);
    return refused?.error ? { images: refused.error } : {};
  }

  /** Uploads every image (one at a time, each with its progress); the API's refusal names the file. */
  async function uploadAll(): Promise<string[]> {
    const ids: string[] = [];
    for (const [index, item] of picked.entries()) {
      const progress = (fraction: number) => setPicked((current) => current.map((other, at) => (at === index ? { ...other, progress: fraction } : other)));
      try {
        ids.push((await upload(api, "post", item.file, progress)).id);
      } catch (caught) {
        progress(0);
        if (caught instanceof ApiError) throw new ApiError(caught.status, caught.code, `${item.file.name}: ${caught.message}`, {});
        throw caught;
      }
    }
    return ids;
  }

  return {
    picked,
    input,
    add,
    errors,
    uploadAll,
    remove: (index: number) => setPicked((current) => current.filter((_, at) => at !== index)),
    clear: () => setPicked([]),
  };
}

function ImagePicker({ picker, error }: { picker: ReturnType<typeof useImages>; error?: string }) {
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor="post-images">
        Images <span className="optional">(optional, up to {MAX_POST_IMAGES})</span>
      </label>
      <p className="hint" id="post-images-hint">
        JPEG, PNG or WebP, up to 10 MB each.
      </p>
      <input
        ref={picker.input}
        id="post-images"
        type="file"
        accept="image/jpeg,image/png,image/webp"
        multiple
        aria-describedby={error ? "post-images-hint post-images-error" : "post-images-hint"}
        aria-invalid={error ? true : undefined}
        onChange={(event) => void picker.add([...(event.target.files ?? [])])}
      />
      {error ? (
        <p className="error" id="post-images-error" data-error-for="images">
          {error}
        </p>
      ) : null}
      {picker.picked.length ? (
        <ul className="plain picked" aria-label="Chosen images">
          {picker.picked.map((item, index) => (
            <li key={`${item.file.name}-${index}`} className="row compact" data-testid="picked">
              <span className="grow">
                {item.file.name} <span className="muted">({formatBytes(item.file.size)})</span>
                {/* Once: the field's error already says it after a submit; here it marks which file. */}
                {item.error ? <span className="error"> {item.error === error ? "Not accepted (see above)." : item.error}</span> : null}
              </span>
              {item.progress !== undefined ? <progress max={1} value={item.progress} aria-label={`Upload of ${item.file.name}`} /> : null}
              <button type="button" className="secondary" onClick={() => picker.remove(index)}>
                Remove<span className="visually-hidden"> {item.file.name}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A post's images, each through its short-lived signed link (GET /media/{id}). */
function PostImages({ api, post }: { api: Api; post: Post }) {
  const links = useLoad(
    () => Promise.all(post.media_ids.map((media_id) => api.call((client) => client.GET("/media/{media_id}", { params: { path: { media_id } } })))),
    [api, post.id],
  );
  return (
    <div className={`post-images count-${post.media_ids.length}`}>
      <Alert message={links.error} />
      {(links.data ?? post.media_ids.map(() => undefined)).map((link, index) =>
        link ? (
          <img key={index} src={link.url} alt={`Image ${index + 1} of ${post.media_ids.length} in this post`} loading="lazy" data-testid="post-image" />
        ) : (
          <span key={index} className="image-placeholder" aria-hidden="true" />
        ),
      )}
    </div>
  );
}
