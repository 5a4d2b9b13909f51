// Who liked a post, by name (GET /posts/{id}/likes answers each liker's display name).

import { useState } from "react";
import { Api } from "./api";
import { personName } from "./people";
import type { Post } from "./types";
import { Alert, Loading, useLoad } from "./ui";

export function Likers({ api, post, me }: { api: Api; post: Post; me: string }) {
  const [open, setOpen] = useState(false);
  const listId = `likers-${post.id}`;
  return (
    <div className="likers">
      <button type="button" className="link" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
        {open ? "Hide who liked this" : "Who liked this"}
      </button>
      {open ? <LikerList api={api} post={post} me={me} id={listId} /> : null}
    </div>
  );
}

function LikerList({ api, post, me, id }: { api: Api; post: Post; me: string; id: string }) {
  const likes = useLoad(() => api.call((client) => client.GET("/posts/{post_id}/likes", { params: { path: { post_id: post.id }, query: { limit: 50 } } })), [api, post.id, post.like_count]);
  return (
    <div id={id}>
      <Alert message={likes.error} />
      {likes.loading ? <Loading what="likes" /> : null}
      {likes.data ? (
        <ul className="plain inline-list" aria-label="Liked by">
          {likes.data.items.map((like) => (
            <li key={like.user_id} data-testid="liker">
              {personName(like.user_id, like.name, me)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
