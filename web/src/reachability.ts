// Whether the Stride API answers, as this page last found out.
//
// navigator.onLine alone cannot tell: it is true whenever the machine has a network, reachable or
// not (Wi-Fi without internet, a captive portal), and Chromium can report true in a page a
// service worker served while the connection is down (crbug.com/678075; seen with Debian's
// Chromium under DevTools' offline emulation, where the reloaded page showed no offline notice and
// waited for an "online" event that never came). So every request says how it went: an HTTP
// answer of any status means the API is there; a request that could not reach it means it is
// not, and from then on a cheap probe (GET /health) runs, sooner when the browser says it is back
// online, until the API answers again.

export type Schedule = {
  set: (run: () => void, ms: number) => unknown;
  clear: (handle: unknown) => void;
};

const TIMERS: Schedule = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The waits between probes while the API cannot be reached: growing, then steady. */
export const PROBE_DELAYS_MS = [1000, 2000, 4000, 8000];

export class Reachability {
  private state = true;
  private attempt = 0;
  private pending: unknown;
  private probing = false;
  private readonly listeners = new Set<(reachable: boolean) => void>();

  /** `probe` resolves true when the API answered (any status), false when it could not be reached. */
  constructor(
    private readonly probe: () => Promise<boolean>,
    private readonly schedule: Schedule = TIMERS,
  ) {}

  get reachable(): boolean {
    return this.state;
  }

  onChange(listener: (reachable: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** An HTTP answer came back: the API is there. */
  answered(): void {
    this.cancel();
    this.attempt = 0;
    this.set(true);
  }

  /** A request could not reach the API: say so, and probe until it answers. */
  failed(): void {
    this.set(false);
    if (this.pending === undefined && !this.probing) this.later();
  }

  /** Probe at once (the browser says the connection is back), if the API was not reachable. */
  retry(): void {
    if (this.state || this.probing) return;
    this.cancel();
    void this.check();
  }

  private later(): void {
    const delay = PROBE_DELAYS_MS[Math.min(this.attempt, PROBE_DELAYS_MS.length - 1)];
    this.attempt += 1;
    this.pending = this.schedule.set(() => {
      this.pending = undefined;
      void this.check();
    }, delay);
  }

  private async check(): Promise<void> {
    this.probing = true;
    let answered = false;
    try {
      answered = await this.probe();
    } catch {
      answered = false;
    } finally {
      this.probing = false;
    }
    if (answered) this.answered();
    else if (!this.state && this.pending === undefined) this.later();
  }

  private cancel(): void {
    if (this.pending !== undefined) this.schedule.clear(this.pending);
    this.pending = undefined;
  }

  private set(reachable: boolean): void {
    if (reachable === this.state) return;
    this.state = reachable;
    for (const listener of this.listeners) listener(reachable);
  }
}
