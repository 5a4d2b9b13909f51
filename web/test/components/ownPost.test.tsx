// @vitest-environment happy-dom
// Your own post in a DOM: a stale edit or delete (412) is explained with a reload of the feed, and
// the version that reload brings closes the conflict and the editor.

import { act } from "preact/test-utils";
import { useState } from "react";
import { beforeEach, describe, expect, it } from "vitest";
import type { Api } from "../../src/api";
import { CHANGED_ELSEWHERE } from "../../src/history";
import { OwnPost } from "../../src/ownPost";
import type { Post } from "../../src/types";
import { FakeApi, button, click, envelope, render, settle, signedIn, submit } from "./harness";

const POST_ID = "01HAAAAAAAAAAAAAAAAAAAAAAA";
const STORED = {
  id: POST_ID,
  author_id: "11111111-1111-1111-1111-111111111111",
  author_name: "Me",
  text: "Leg day done",
  media_ids: [],
  visibility: "tenant",
  like_count: 0,
  comment_count: 0,
  liked_by_me: false,
  personal: false,
  created_at: "2026-01-01T08:00:00Z",
  updated_at: "2026-01-01T08:00:00Z",
  version: 1,
} as Post;
const STALE = { status: 412, body: envelope("version_mismatch", "The post changed: its version is 2, not 1.", { version: 2 }) };

let fake: FakeApi;
let api: Api;
let reloads: number;

beforeEach(async () => {
  fake = new FakeApi();
  api = await signedIn(fake);
  reloads = 0;
});

function Feed() {
  const [post, setPost] = useState(STORED);
  const reload = () => {
    reloads += 1;
    setPost({ ...STORED, text: "Edited in another tab", version: 2 });
  };
  return <OwnPost api={api} post={post} onSaved={setPost} onDeleted={() => undefined} onReload={reload} />;
}

async function retype(area: HTMLTextAreaElement, value: string) {
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")?.set?.call(area, value);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

function conflict(screen: HTMLElement): HTMLElement | null {
  return screen.querySelector<HTMLElement>(".conflict");
}

describe("your own post changed elsewhere", () => {
  it("explains a stale edit with a reload that closes the editor on the stored version", async () => {
    fake.on("PATCH", `/posts/${POST_ID}`, STALE);
    const screen = await render(<Feed />);

    await click(button(screen, /^Edit/));
    await retype(screen.querySelector("textarea")!, "Mine wins");
    await submit(screen.querySelector('form[aria-label="Edit your post"]')!);

    const alert = conflict(screen);
    expect(alert?.getAttribute("role")).toBe("alert");
    expect(alert?.textContent).toContain(CHANGED_ELSEWHERE);
    expect(button(alert!, /^Reload/).textContent).toBe("Reload the feed");
    expect(fake.requests("PATCH", `/posts/${POST_ID}`)[0].headers.get("If-Match")).toBe("1");

    await click(button(alert!, /^Reload/));
    await settle();
    expect(reloads).toBe(1);
    expect(conflict(screen)).toBeNull();
    expect(screen.querySelector("form")).toBeNull();
  });

  it("explains a stale delete the same way, without a second message", async () => {
    fake.on("DELETE", `/posts/${POST_ID}`, STALE);
    const screen = await render(<Feed />);

    await click(button(screen, /^Delete/));
    await click(button(screen, "Delete post"));

    expect(conflict(screen)?.textContent).toContain(CHANGED_ELSEWHERE);
    expect(screen.querySelectorAll('[role="alert"]')).toHaveLength(1);
  });
});
