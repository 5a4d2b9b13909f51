// What the component tests share: a fake API at the edge (the `fetch` the real Api client calls,
// answering from a table of routes and keeping every request), a signed-in Api, and rendering into
// happy-dom's document with Preact's act() (preact/compat has none; the app runs on Preact, see
// vite.config.ts). No module is mocked: the screens run as in the browser, the Python stack is not needed.

import { act } from "preact/test-utils";
import type { ReactElement } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach } from "vitest";
import { Api } from "../../src/api";
import { isolatedKeeper } from "../keeper";

export const API = "http://api.test";

export interface Sent {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}

type Reply = { status: number; body?: unknown };
/** An answer, or how to make one from the request (a promise: the answer waits for it). */
type Answer = Reply | ((request: Sent) => Reply | Promise<Reply>);

/** `fake.on("GET", "/weights", { status: 200, body })`: the answers, by method and path (the
 * latest set wins); anything else is a 404 envelope. `fake.sent`: every request, in order. */
export class FakeApi {
  readonly sent: Sent[] = [];
  private readonly routes = new Map<string, Answer>();

  on(method: string, path: string, answer: Answer): this {
    this.routes.set(`${method} ${path}`, answer);
    return this;
  }

  requests(method: string, path: string): Sent[] {
    return this.sent.filter((request) => request.method === method && request.path === path);
  }

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const text = await request.text();
    const sent: Sent = {
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      body: text ? JSON.parse(text) : undefined,
    };
    this.sent.push(sent);
    const found = this.routes.get(`${sent.method} ${sent.path}`);
    const answer = typeof found === "function" ? await found(sent) : (found ?? { status: 404, body: envelope("not_found", "Not found.") });
    const body = answer.body === undefined ? null : JSON.stringify(answer.body);
    return new Response(answer.status === 204 ? null : body, { status: answer.status, headers: { "Content-Type": "application/json" } });
  };
}

export function envelope(code: string, message: string, details: unknown = {}) {
  return { error: { code, message, details } };
}

/** An Api signed in against `fake` (through its POST /auth/login, as the sign-in screen does). */
export async function signedIn(fake: FakeApi): Promise<Api> {
  globalThis.fetch = fake.fetch as typeof fetch;
  fake.on("POST", "/auth/login", {
    status: 200,
    body: { id_token: "id-token", access_token: "access-token", refresh_token: "refresh-token", expires_in: 3600 },
  });
  const api = new Api(API, isolatedKeeper());
  await api.signIn("person@example.com", "Correct-Horse-9");
  fake.sent.length = 0; // the tests read what the screen sends
  return api;
}

let root: Root | undefined;
let host: HTMLElement | undefined;

/** Renders into a fresh container of the document; its answers settled. */
export async function render(element: ReactElement): Promise<HTMLElement> {
  host = document.createElement("div");
  document.body.append(host);
  root = createRoot(host);
  await act(async () => root?.render(element));
  await settle();
  return host;
}

/** Lets pending answers and the renders they cause finish. */
export async function settle(): Promise<void> {
  for (let round = 0; round < 5; round += 1) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

afterEach(async () => {
  await act(async () => root?.unmount());
  host?.remove();
  root = undefined;
  host = undefined;
  sessionStorage.clear();
});

/** The button whose accessible text (visually hidden parts too) is `name`. */
export function button(container: HTMLElement, name: string | RegExp): HTMLButtonElement {
  const found = [...container.querySelectorAll("button")].find((candidate) =>
    typeof name === "string" ? candidate.textContent?.trim() === name : name.test(candidate.textContent ?? ""),
  );
  if (!found) throw new Error(`no button ${String(name)} in: ${container.textContent}`);
  return found;
}

/** The input or select labelled `label`. */
export function field(container: HTMLElement, label: string): HTMLInputElement | HTMLSelectElement {
  const found = [...container.querySelectorAll("label")].find(
    (candidate) => candidate.textContent?.replace(/\(optional\)$/, "").trim() === label,
  );
  const control = found?.htmlFor ? document.getElementById(found.htmlFor) : null;
  if (!control) throw new Error(`no field labelled ${label}`);
  return control as HTMLInputElement;
}

export async function click(element: HTMLElement): Promise<void> {
  await act(async () => element.click());
  await settle();
}

/** Types `value` as a person would: React sees the input event. */
export async function type(control: HTMLInputElement | HTMLSelectElement, value: string): Promise<void> {
  const prototype = control instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  await act(async () => {
    Object.getOwnPropertyDescriptor(prototype, "value")?.set?.call(control, value);
    control.dispatchEvent(new Event(control instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  });
}

export async function submit(form: HTMLFormElement): Promise<void> {
  await act(async () => form.requestSubmit());
  await settle();
}

/** Waits (settling) until `check` holds, for a chunk loaded on demand: at most 5 s. */
export async function until(check: () => boolean, what = "the condition"): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`waited 5 s for ${what}: ${document.body.textContent}`);
    await settle();
  }
}
