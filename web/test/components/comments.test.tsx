// @vitest-environment happy-dom
// A post's comments in a DOM: your own comment edited in place (If-Match its version, Save and
// Cancel), "edited" shown once changed, and a refused edit (412) explained with a reload.

import { beforeEach, describe, expect, it } from "vitest";
import type { Api } from "../../src/api";
import { Comments } from "../../src/comments";
import { CHANGED_ELSEWHERE } from "../../src/history";
import type { Comment, Post } from "../../src/types";
import { FakeApi, button, click, envelope, field, render, signedIn, submit, type } from "./harness";

const ME = "11111111-1111-1111-1111-111111111111";
const OTHER = "22222222-2222-2222-2222-222222222222";
const POST_ID = "01HAAAAAAAAAAAAAAAAAAAAAAA";

const post = {
  id: POST_ID,
  author_id: OTHER,
  author_name: "Sam",
  text: "Leg day done",
  media_ids: [],
  visibility: "tenant",
  like_count: 0,
  comment_count: 2,
  liked_by_me: false,
  personal: false,
  created_at: "2026-01-01T08:00:00Z",
  updated_at: "2026-01-01T08:00:00Z",
  version: 1,
} as Post;

function comment(key: string, author: string, text: string, version = 1, edited_at: string | null = null): Comment {
  return {
    id: `${POST_ID}-${key}`,
    post_id: POST_ID,
    author_id: author,
    author_name: author === ME ? "Me" : "Sam",
    text,
    created_at: "2026-01-01T09:00:00Z",
    edited_at,
    version,
  };
}

const MINE = comment("01HBBBBBBBBBBBBBBBBBBBBBBB", ME, "Nise work");
const THEIRS = comment("01HCCCCCCCCCCCCCCCCCCCCCCC", OTHER, "Thanks");

let fake: FakeApi;
let api: Api;

beforeEach(async () => {
  fake = new FakeApi();
  api = await signedIn(fake);
});

function rows(screen: HTMLElement): HTMLElement[] {
  return [...screen.querySelectorAll<HTMLElement>('[data-testid="comment"]')];
}

async function shown(items: Comment[]) {
  fake.on("GET", `/posts/${POST_ID}/comments`, () => ({ status: 200, body: { items, next_cursor: null } }));
  return render(<Comments api={api} post={post} me={ME} onCount={() => undefined} />);
}

describe("editing a comment", () => {
  it("offers Edit on your own comments only", async () => {
    const screen = await shown([MINE, THEIRS]);
    const [mine, theirs] = rows(screen);
    expect(button(mine, /^Edit/).textContent).toContain("Nise work");
    expect([...theirs.querySelectorAll("button")].map((found) => found.textContent)).toEqual([]);
  });

  it("saves the new text in place with If-Match and shows it edited", async () => {
    const saved = comment("01HBBBBBBBBBBBBBBBBBBBBBBB", ME, "Nice work", 2, "2026-01-01T09:05:00Z");
    fake.on("PATCH", `/comments/${MINE.id}`, { status: 200, body: saved });
    const screen = await shown([MINE, THEIRS]);
    expect(screen.querySelector('[data-testid="comment-edited"]')).toBeNull();

    await click(button(rows(screen)[0], /^Edit/));
    const text = field(screen, "Your comment");
    expect(text.value).toBe("Nise work");
    expect(document.activeElement).toBe(text);
    await type(text, "  Nice work ");
    await submit(screen.querySelector('form[aria-label="Edit your comment"]')!);

    const [patch] = fake.requests("PATCH", `/comments/${MINE.id}`);
    expect(patch.headers.get("If-Match")).toBe("1");
    expect(patch.body).toEqual({ text: "Nice work" });
    expect(screen.querySelector('form[aria-label="Edit your comment"]')).toBeNull();
    const [mine] = rows(screen);
    expect(mine.textContent).toContain("Nice work");
    expect(mine.querySelector('[data-testid="comment-edited"]')?.getAttribute("datetime")).toBe("2026-01-01T09:05:00Z");
    expect(document.activeElement).toBe(button(mine, /^Edit/)); // back where the person was
  });

  it("checks the text as writing one does, before sending", async () => {
    const screen = await shown([MINE]);
    await click(button(rows(screen)[0], /^Edit/));
    await type(field(screen, "Your comment"), "   ");
    await submit(screen.querySelector('form[aria-label="Edit your comment"]')!);
    expect(fake.requests("PATCH", `/comments/${MINE.id}`)).toHaveLength(0);
    expect(screen.textContent).toContain("Write a comment first.");
  });

  it("cancels without sending, the text as it was", async () => {
    const screen = await shown([MINE]);
    await click(button(rows(screen)[0], /^Edit/));
    await type(field(screen, "Your comment"), "Something else");
    await click(button(screen, "Cancel"));
    expect(fake.requests("PATCH", `/comments/${MINE.id}`)).toHaveLength(0);
    expect(rows(screen)[0].textContent).toContain("Nise work");
    expect(screen.querySelector("form[aria-label='Edit your comment']")).toBeNull();
  });

  it("explains a 412 (changed elsewhere) with a reload that shows what is stored now", async () => {
    let stored = [MINE];
    fake.on("GET", `/posts/${POST_ID}/comments`, () => ({ status: 200, body: { items: stored, next_cursor: null } }));
    fake.on("PATCH", `/comments/${MINE.id}`, {
      status: 412,
      body: envelope("version_mismatch", "The comment changed: its version is 2, not 1.", { version: 2 }),
    });
    const screen = await render(<Comments api={api} post={post} me={ME} onCount={() => undefined} />);

    await click(button(rows(screen)[0], /^Edit/));
    await type(field(screen, "Your comment"), "Mine wins");
    await submit(screen.querySelector('form[aria-label="Edit your comment"]')!);

    const alert = screen.querySelector(".conflict");
    expect(alert?.getAttribute("role")).toBe("alert");
    expect(alert?.textContent).toContain(CHANGED_ELSEWHERE);
    expect(api.signedIn).toBe(true);

    stored = [comment("01HBBBBBBBBBBBBBBBBBBBBBBB", ME, "Edited in another tab", 2, "2026-01-01T09:10:00Z")];
    await click(button(alert as HTMLElement, /^Reload/));
    expect(fake.requests("GET", `/posts/${POST_ID}/comments`)).toHaveLength(2);
    expect(screen.querySelector(".conflict")).toBeNull();
    expect(screen.querySelector("form[aria-label='Edit your comment']")).toBeNull();
    expect(rows(screen)[0].textContent).toContain("Edited in another tab");
    expect(rows(screen)[0].textContent).toContain("(edited)");
  });
});
