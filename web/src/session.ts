// Where the refresh token lives, and how the tabs of this origin share one session.
//
// - Every tab keeps the refresh token in its own sessionStorage ("tab"), so a reload resumes.
// - "Stay signed in" also keeps it in localStorage ("device"), so a new tab, and the browser
//   after a restart, start signed in. Without it, nothing of the session outlives the last tab.
// - A new tab without either asks the open tabs over a BroadcastChannel (same origin only): an
//   open, signed-in tab answers with its token. With no tab open (the browser was closed) no one
//   answers, and the tab is signed out: a session not kept on the device ends with the browser.
//   A non-secret marker in localStorage ("a tab may be signed in") spares a first-time visitor
//   the wait for an answer; it is cleared on sign-out and when no tab answered.
// - Signing in or out in one tab tells the others: a signed-out tab adopts a new sign-in, and a
//   sign-out (or a session found over) signs every tab out and clears both storages.
//
// The id and access tokens never leave the memory of the tab that refreshed them.

export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The part of BroadcastChannel used here (a message never reaches its sender). */
export interface Channel {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export type SessionMessage =
  | { type: "ask"; id: string }
  | { type: "answer"; id: string; token: string }
  | { type: "signed-in"; token: string }
  | { type: "signed-out"; reason?: string };

export interface SessionEvents {
  /** Another tab signed out (or found the session over): forget this tab's tokens too. */
  signedOut(reason?: string): void;
  /** Another tab signed in while this one was signed out: its refresh token is now this tab's. */
  signedIn(): void;
  /** Whether this tab holds a session (it answers other tabs' asks only then). */
  holds(): boolean;
}

export const TOKEN_KEY = "stride.refresh_token";
export const MARKER_KEY = "stride.session_open";
export const ASK_TIMEOUT_MS = 250;

export class SessionKeeper {
  private readonly tab: KeyValue;
  private readonly device: KeyValue;
  private readonly channel: Channel | null;
  private readonly timeoutMs: number;
  private events: SessionEvents | null = null;
  private readonly waiting = new Map<string, (token: string | null) => void>();

  constructor(options: { tab: KeyValue; device: KeyValue; channel: Channel | null; timeoutMs?: number }) {
    this.tab = options.tab;
    this.device = options.device;
    this.channel = options.channel;
    this.timeoutMs = options.timeoutMs ?? ASK_TIMEOUT_MS;
    if (this.channel) this.channel.onmessage = (event) => this.receive(event.data);
  }

  listen(events: SessionEvents): void {
    this.events = events;
  }

  /** This tab's refresh token, else the one kept on the device ("stay signed in"). */
  token(): string | null {
    return this.tab.getItem(TOKEN_KEY) ?? this.device.getItem(TOKEN_KEY);
  }

  /** Whether the device keeps the session across a browser restart. */
  persistent(): boolean {
    return this.device.getItem(TOKEN_KEY) !== null;
  }

  /** After a sign-in: kept in this tab, on the device too when asked to stay signed in, and
   * offered to the other tabs that are signed out. */
  keep(token: string, stay: boolean): void {
    this.tab.setItem(TOKEN_KEY, token);
    if (stay) this.device.setItem(TOKEN_KEY, token);
    else this.device.removeItem(TOKEN_KEY);
    this.device.setItem(MARKER_KEY, "1");
    this.post({ type: "signed-in", token });
  }

  /** Signing out: both storages cleared, and every other tab told (unless it was told by one). */
  forget(reason?: string, tell = true): void {
    this.tab.removeItem(TOKEN_KEY);
    this.device.removeItem(TOKEN_KEY);
    this.device.removeItem(MARKER_KEY);
    if (tell) this.post({ type: "signed-out", reason });
  }

  /** The token to resume with: this tab's or the device's, else one an open tab answers with
   * (kept in this tab then); null when none answers in time. */
  async find(): Promise<string | null> {
    const own = this.token();
    if (own) return own;
    if (!this.channel || this.device.getItem(MARKER_KEY) === null) return null;
    const id = Math.random().toString(36).slice(2) + Date.now().toString(36);
    const answered = new Promise<string | null>((resolve) => {
      this.waiting.set(id, resolve);
      setTimeout(() => resolve(null), this.timeoutMs);
    });
    this.post({ type: "ask", id });
    const token = await answered;
    this.waiting.delete(id);
    if (token) this.tab.setItem(TOKEN_KEY, token);
    else if (this.token() === null) this.device.removeItem(MARKER_KEY); // no tab open: the session ended with them
    return token;
  }

  private post(message: SessionMessage): void {
    this.channel?.postMessage(message);
  }

  private receive(data: unknown): void {
    const message = data as Partial<SessionMessage> | null;
    if (!message || typeof message !== "object") return;
    if (message.type === "ask" && typeof message.id === "string") {
      const token = this.tab.getItem(TOKEN_KEY);
      if (token && this.events?.holds()) {
        this.device.setItem(MARKER_KEY, "1");
        this.post({ type: "answer", id: message.id, token });
      }
    } else if (message.type === "answer" && typeof message.id === "string" && typeof message.token === "string") {
      this.waiting.get(message.id)?.(message.token);
    } else if (message.type === "signed-out") {
      this.forget(typeof message.reason === "string" ? message.reason : undefined, false);
      this.events?.signedOut(typeof message.reason === "string" ? message.reason : undefined);
    } else if (message.type === "signed-in" && typeof message.token === "string") {
      if (this.events && !this.events.holds()) {
        this.tab.setItem(TOKEN_KEY, message.token);
        this.events.signedIn();
      }
    }
  }
}

/** The keeper of this browser: sessionStorage, localStorage and a BroadcastChannel, where the
 * browser has them (storage can be refused, e.g. with cookies blocked: then nothing is kept). */
export function browserKeeper(): SessionKeeper {
  const memory = (): KeyValue => {
    const values = new Map<string, string>();
    return { getItem: (key) => values.get(key) ?? null, setItem: (key, value) => void values.set(key, value), removeItem: (key) => void values.delete(key) };
  };
  const storage = (get: () => Storage | undefined): KeyValue => {
    try {
      return get() ?? memory();
    } catch {
      return memory();
    }
  };
  let channel: Channel | null = null;
  if (typeof BroadcastChannel !== "undefined") {
    const broadcast = new BroadcastChannel("stride.session");
    const wrapped: Channel = { onmessage: null, postMessage: (message) => broadcast.postMessage(message) };
    broadcast.onmessage = (event) => wrapped.onmessage?.({ data: event.data });
    channel = wrapped;
  }
  return new SessionKeeper({ tab: storage(() => globalThis.sessionStorage), device: storage(() => globalThis.localStorage), channel });
}
