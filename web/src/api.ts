// The API client: one place that knows the address, the tokens and the error envelope.
//
// Requests go through openapi-fetch with the types openapi-typescript generates from the API's
// own document (src/generated/openapi.ts, written by `npm run openapi` from
// chalicelib/openapi.json before every build): paths, query parameters, headers, bodies and
// answers are checked by the compiler against the document, not against hand-written types.
// (`--default-non-nullable false`: a body field with a default may be left out, as the API allows.)
//
// Tokens: the id and access tokens live in this module's memory only (gone on reload or when the
// tab closes). The refresh token is kept by session.ts: in the tab (a reload resumes), shared
// with new tabs of the origin, and on the device only when the person asks to stay signed in;
// a sign-out in one tab signs out every tab. Tokens are refreshed a minute before they expire;
// any 401 on an authenticated call signs the user out.

import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./generated/openapi";
import { Reachability } from "./reachability";
import { type SessionKeeper, browserKeeper } from "./session";

/** The generated client: `client.GET("/tasks", { params: { query: { status: "open" } } })`. */
export type StrideClient = Client<paths>;
type ErrorEnvelope = components["schemas"]["ErrorEnvelope"];
/** What an openapi-fetch call resolves to: the answer's data, or its error body. */
type Answer<T> = { data?: T; error?: unknown; response: Response };
type Call<T> = (client: StrideClient) => Promise<Answer<T>>;

export type FieldErrors = Record<string, string>;

/** An answer with its status and Location header (a 202's): `Api.callFull`. */
export interface Full<T> {
  data: T;
  status: number;
  location: string | null;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The envelope's details, flattened to dotted paths: {"weight.value": "Must be ..."} */
  readonly fields: FieldErrors;

  constructor(status: number, code: string, message: string, fields: FieldErrors = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

/** {"weight": {"value": ["a", "b"]}} -> {"weight.value": "a b"} (marshmallow's shape). */
export function flattenDetails(details: unknown, prefix = ""): FieldErrors {
  const out: FieldErrors = {};
  if (Array.isArray(details)) {
    if (details.every((item) => typeof item === "string")) {
      out[prefix || "_"] = details.join(" ");
    } else {
      details.forEach((item, index) => Object.assign(out, flattenDetails(item, prefix ? `${prefix}.${index}` : `${index}`)));
    }
  } else if (details && typeof details === "object") {
    for (const [key, value] of Object.entries(details as Record<string, unknown>)) {
      Object.assign(out, flattenDetails(value, prefix ? `${prefix}.${key}` : key));
    }
  } else if (typeof details === "string") {
    out[prefix || "_"] = details;
  }
  return out;
}

const EMAIL_KEY = "stride.pending_email";
const REFRESH_MARGIN_SECONDS = 60;

interface Tokens {
  idToken: string;
  /** For the TOTP enrolment routes only, which Cognito authorises with it. */
  accessToken: string;
  expiresAt: number; // epoch ms
}

type Listener = (signedIn: boolean, reason?: string) => void;

export class Api {
  readonly base: string;
  /** For the public routes (sign-up, confirm, log in, refresh, forgot and reset password). */
  private readonly anonymous: StrideClient;
  /** For everything else: sends the id token. */
  private readonly client: StrideClient;
  private tokens: Tokens | null = null;
  private timer: number | undefined;
  private refreshing: Promise<boolean> | null = null;
  private listeners = new Set<Listener>();
  /** Whether the API answers: every request tells it, and it probes /health while it does not. */
  readonly connection: Reachability;
  /** The refresh token's storage, shared with the origin's other tabs. */
  private readonly keeper: SessionKeeper;

  constructor(base: string, keeper: SessionKeeper = browserKeeper()) {
    this.base = base.replace(/\/$/, "");
    this.keeper = keeper;
    keeper.listen({
      signedOut: (reason) => this.signOutHere(reason, false),
      signedIn: () => void this.refresh(),
      holds: () => this.tokens !== null,
    });
        // cache "default", not "no-store": the API's answers say `Cache-Control: no-store` themselves (never
    // kept), and a request that bypasses the cache bypasses Chromium's CORS preflight cache too, one
    // more round trip before every call (make bench-web counts them).
    const options = { baseUrl: this.base, credentials: "omit", cache: "default", headers: { Accept: "application/json" } } as const;
    this.anonymous = createClient<paths>(options);
    this.client = createClient<paths>(options);
    this.client.use({
      onRequest: ({ request }) => {
        if (this.tokens) request.headers.set("Authorization", `Bearer ${this.tokens.idToken}`);
        return request;
      },
    });
    // Any HTTP answer of /health means the API is there; a rejected fetch, that it is not.
    this.connection = new Reachability(() =>
      this.anonymous.GET("/health").then(
        () => true,
        () => false,
      ),
    );
  }

  /** `settle`, telling `connection` whether the API answered. */
  private settle<T>(pending: Promise<Answer<T>>): Promise<T> {
    return settle(pending).then(
      (data) => {
        this.connection.answered();
        return data;
      },
      (error: unknown) => {
        if (error instanceof ApiError) {
          if (error.status === 0) this.connection.failed();
          else this.connection.answered();
        }
        throw error;
      },
    );
  }

  get signedIn(): boolean {
    return this.tokens !== null;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A reload, a new tab or a browser restart: resume with the refresh token this tab kept, the
   * device kept (stay signed in), or an open tab answers with. */
  async resume(): Promise<boolean> {
    if (!(await this.keeper.find())) return false;
    return this.refresh();
  }

  /** Signs in, or, for an account with TOTP on, answers the challenge's session for `completeMfa`. */
  async signIn(email: string, password: string, stay = false): Promise<{ mfaSession: string } | null> {
    const answer = await this.settle(this.anonymous.POST("/auth/login", { body: { email, password } }));
    if (answer.challenge_name && answer.session) return { mfaSession: answer.session };
    if (!answer.id_token || !answer.refresh_token || !answer.expires_in) {
      throw new ApiError(502, "no_tokens", "The sign-in answered neither tokens nor a challenge.");
    }
    this.start(answer.id_token, answer.access_token ?? "", answer.refresh_token, answer.expires_in, stay);
    return null;
  }

  /** The second step of a TOTP sign-in: the code from the authenticator app. */
  async completeMfa(email: string, session: string, code: string, stay = false): Promise<void> {
    const tokens = await this.settle(this.anonymous.POST("/auth/login/mfa", { body: { email, session, code } }));
    this.start(tokens.id_token, tokens.access_token, tokens.refresh_token, tokens.expires_in, stay);
  }

  private start(idToken: string, accessToken: string, refreshToken: string, expiresIn: number, stay: boolean): void {
    this.keeper.keep(refreshToken, stay);
    this.accept(idToken, accessToken, expiresIn);
    this.emit(true);
  }

  /** Signs this tab and every other tab of the origin out, and forgets the refresh token. */
  signOut(reason?: string): void {
    this.signOutHere(reason, true);
  }

  private signOutHere(reason: string | undefined, tell: boolean): void {
    window.clearTimeout(this.timer);
    const was = this.tokens !== null;
    this.tokens = null;
    if (tell) {
      // Revoked at Cognito too, so no copy of it (another tab's, the device's) works after this.
      const refreshToken = this.keeper.token();
      if (refreshToken) void this.anonymous.POST("/auth/logout", { body: { refresh_token: refreshToken } }).catch(() => undefined);
      this.keeper.forget(reason);
    }
    if (was || reason) this.emit(false, reason);
  }

  /** The e-mail between sign-up and confirmation (not a secret; survives a reload of the tab). */
  static rememberEmail(email: string): void {
    sessionStorage.setItem(EMAIL_KEY, email);
  }

  static rememberedEmail(): string {
    return sessionStorage.getItem(EMAIL_KEY) ?? "";
  }

  /** A public route: `api.callPublic((client) => client.POST("/auth/signup", { body }))`. */
  callPublic<T>(request: Call<T>): Promise<T> {
    return this.settle(request(this.anonymous));
  }

  /** An authenticated call, `api.call((client) => client.GET("/me"))`: refreshed first if the
   * token is about to expire; a 401 signs out. */
  async call<T>(request: Call<T>): Promise<T> {
    if (this.tokens && this.tokens.expiresAt - Date.now() < REFRESH_MARGIN_SECONDS * 1000) {
      await this.refresh();
    }
    if (!this.tokens) {
      throw new ApiError(401, "unauthorized", "You are signed out.");
    }
    try {
      return await this.settle(request(this.client));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        this.signOut(error.code === "account_deleted" ? "This account no longer exists." : "Your session ended. Please sign in again.");
      }
      throw error;
    }
  }

  /** `call`, with the answer's status and Location header: a 200 that is not a 201 (the same
   * file uploaded again), a 202's address to poll. */
  async callFull<T>(request: Call<T>): Promise<Full<T>> {
    let response: Response | undefined;
    const data = await this.call(async (client) => {
      const answer = await request(client);
      response = answer.response;
      return answer;
    });
    return { data, status: response?.status ?? 200, location: response?.headers.get("Location") ?? null };
  }

  /** The access token (in memory only), for the routes that send it in their body: TOTP's. */
  async accessToken(): Promise<string> {
    if (this.tokens && this.tokens.expiresAt - Date.now() < REFRESH_MARGIN_SECONDS * 1000) await this.refresh();
    if (!this.tokens) throw new ApiError(401, "unauthorized", "You are signed out.");
    return this.tokens.accessToken;
  }

  /** New tokens now: after founding or joining a business, whose tenant and role the API puts
   * in the tokens at their next refresh. */
  renew(): Promise<boolean> {
    return this.refresh();
  }

  private refresh(): Promise<boolean> {
    if (this.refreshing) return this.refreshing;
    const refreshToken = this.keeper.token();
    if (!refreshToken) return Promise.resolve(false);
    this.refreshing = this.settle(this.anonymous.POST("/auth/refresh", { body: { refresh_token: refreshToken } }))
      .then((tokens) => {
        const was = this.tokens !== null;
        this.accept(tokens.id_token, tokens.access_token, tokens.expires_in);
        if (!was) this.emit(true);
        return true;
      })
      .catch((error: unknown) => {
        if (error instanceof ApiError && (error.status === 401 || error.status === 400)) {
          this.signOut("Your session ended. Please sign in again.");
        }
        return false;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  private accept(idToken: string, accessToken: string, expiresIn: number): void {
    this.tokens = { idToken, accessToken, expiresAt: Date.now() + expiresIn * 1000 };
    window.clearTimeout(this.timer);
    const delay = Math.max(5, expiresIn - REFRESH_MARGIN_SECONDS) * 1000;
    this.timer = window.setTimeout(() => void this.refresh(), delay);
  }

  private emit(signedIn: boolean, reason?: string): void {
    for (const listener of this.listeners) listener(signedIn, reason);
  }
}

/** The answer's data, or an ApiError from the error envelope (or from a network failure). */
async function settle<T>(pending: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await pending;
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "network_error", "The Stride API cannot be reached. Check your connection and try again.");
  }
  const { response } = answer;
  if (!response.ok) {
    // openapi-fetch hands over the body as JSON when it parses, as text otherwise.
    const envelope = typeof answer.error === "object" ? (answer.error as Partial<ErrorEnvelope> | null)?.error : undefined;
    throw new ApiError(
      response.status,
      envelope?.code ?? "error",
      envelope?.message ?? `The request failed (${response.status}).`,
      flattenDetails(envelope?.details ?? {}),
    );
  }
  return answer.data as T;
}

/** Where the API is: index.html's <meta name="stride-api">, written by the server that serves the
 * page (devtools/web.py, and publish_web.py for a stage), else /config.json (one round trip more:
 * the Vite dev server's page has no meta), else the build's default. */
export async function loadApiBase(): Promise<string> {
  const named = document.querySelector<HTMLMetaElement>('meta[name="stride-api"]')?.content;
  if (named) return named;
  try {
    const response = await fetch("/config.json", { cache: "no-store" });
    if (response.ok) {
      const config = (await response.json()) as { api?: string };
      if (config.api) return config.api;
    }
  } catch {
    // fall through to the build-time default
  }
  return import.meta.env.VITE_STRIDE_API ?? "http://127.0.0.1:8000";
}
