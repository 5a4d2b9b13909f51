// @vitest-environment happy-dom
// The shell in a DOM: screens load as chunks of their own (retryable when one fails to load), and
// after a reload the dashboard's data is asked for beside the preferences, not after them.

import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it } from "vitest";
import { App } from "../../src/App";
import type { Api } from "../../src/api";
import { lazyScreen } from "../../src/lazyScreen";
import { FakeApi, button, click, render, settle, signedIn, until } from "./harness";

const preferences = {
  timezone: "America/New_York",
  units: "metric",
  weekly_workout_goal: 3,
  week_starts_on: "monday",
  updated_at: null,
  notifications: {},
  privacy: {},
};
const summary = {
  from: "2026-01-01",
  to: "2026-01-30",
  timezone: "America/New_York",
  units: "metric",
  weight: { entries: 0, first: null, last: null, change: null, min: null, max: null, series: [] },
  workouts: { by_type: {}, count: 2, current_streak_weeks: 1, per_week: [], total_minutes: 75, weekly_goal: 3 },
  tasks: { completion_rate: null, done_in_range: 0, open: 0, overdue: 0 },
};

describe("a screen loaded on demand", () => {
  it("says it is loading, then shows the screen with its props", async () => {
    let arrive: (component: (props: { name: string }) => React.ReactElement) => void = () => undefined;
    const Screen = lazyScreen<{ name: string }>(() => new Promise((resolve) => (arrive = resolve)), "the test screen");
    const shown = await render(<Screen name="Ann" />);
    expect(shown.textContent).toContain("Loading the test screen…");
    await act(async () => arrive(({ name }) => <h1>Hello {name}</h1>));
    await settle();
    expect(shown.querySelector("h1")?.textContent).toBe("Hello Ann");
  });

  it("hands the focus App gave its placeholder to the screen's main when the chunk arrives", async () => {
    let arrive: (component: () => React.ReactElement) => void = () => undefined;
    const Screen = lazyScreen<object>(() => new Promise((resolve) => (arrive = resolve)), "the test screen");
    const shown = await render(<Screen />);
    const placeholder = shown.querySelector<HTMLElement>("#main")!;
    placeholder.focus(); // as App does after a move within the app
    expect(document.activeElement).toBe(placeholder);
    await act(async () =>
      arrive(() => (
        <main id="main" tabIndex={-1} className="arrived">
          <h1>Loaded</h1>
        </main>
      )),
    );
    await settle();
    expect(shown.querySelector("h1")?.textContent).toBe("Loaded");
    expect(document.activeElement?.className).toBe("arrived");
  });

  it("leaves the focus alone when its placeholder did not have it", async () => {
    let arrive: (component: () => React.ReactElement) => void = () => undefined;
    const Screen = lazyScreen<object>(() => new Promise((resolve) => (arrive = resolve)), "the test screen");
    const shown = await render(
      <>
        <input aria-label="Elsewhere" />
        <Screen />
      </>,
    );
    const elsewhere = shown.querySelector("input")!;
    elsewhere.focus();
    await act(async () =>
      arrive(() => (
        <main id="main" tabIndex={-1}>
          <h1>Loaded</h1>
        </main>
      )),
    );
    await settle();
    expect(shown.querySelector("h1")?.textContent).toBe("Loaded");
    expect(document.activeElement).toBe(elsewhere);
  });

  it("offers to try again when its chunk does not load, and loads it on the retry", async () => {
    let attempts = 0;
    const Screen = lazyScreen<object>(async () => {
      attempts += 1;
      if (attempts === 1) throw new TypeError("Failed to fetch dynamically imported module");
      return () => <h1>Loaded</h1>;
    }, "the test screen");
    const shown = await render(<Screen />);
    expect(shown.querySelector('[role="alert"]')?.textContent).toBe("The test screen could not be loaded. Check your connection and try again.");
    await click(button(shown, "Try again"));
    expect(attempts).toBe(2);
    expect(shown.querySelector("h1")?.textContent).toBe("Loaded");
  });

  it("loads its chunk once however often it is preloaded", async () => {
    let attempts = 0;
    const Screen = lazyScreen<object>(async () => {
      attempts += 1;
      return () => <h1>Loaded</h1>;
    });
    await Promise.all([Screen.preload(), Screen.preload()]);
    const shown = await render(<Screen />);
    expect(attempts).toBe(1);
    expect(shown.querySelector("h1")?.textContent).toBe("Loaded");
  });
});

describe("the dashboard after a reload", () => {
  let fake: FakeApi;
  let api: Api;
  beforeEach(async () => {
    fake = new FakeApi();
    api = await signedIn(fake);
    window.history.replaceState(null, "", "/");
  });

  it("asks for its data beside the preferences, in the same round trip, and only once", async () => {
    let answerPreferences: () => void = () => undefined;
    fake.on("GET", "/me/preferences", () => new Promise((resolve) => (answerPreferences = () => resolve({ status: 200, body: preferences }))));
    fake.on("GET", "/stats/summary", { status: 200, body: summary });
    fake.on("GET", "/tasks", { status: 200, body: { items: [], next_cursor: null } });
    const shown = await render(<App api={api} />);

    // The preferences have not answered, and the dashboard's data is asked for already.
    const asked = fake.sent.map((request) => `${request.method} ${request.path}`);
    expect(asked).toEqual(expect.arrayContaining(["GET /me/preferences", "GET /stats/summary", "GET /tasks"]));
    expect(fake.requests("GET", "/stats/summary")[0].query.toString()).toBe(""); // the API's default 30 days
    expect(fake.requests("GET", "/tasks")[0].query.get("status")).toBe("open");

    await act(async () => answerPreferences());
    await until(() => shown.querySelector('[data-testid="weekly-goal"]') !== null, "the dashboard");
    expect(shown.querySelector("h1")?.textContent).toBe("Your dashboard");
    expect(shown.textContent).toContain("1 week streak · 2 workouts, 75 minutes");
    expect(fake.requests("GET", "/stats/summary")).toHaveLength(1); // the dashboard took the answer asked for early
  });

  it("asks again with the range's dates when another range is chosen", async () => {
    fake.on("GET", "/me/preferences", { status: 200, body: preferences });
    fake.on("GET", "/stats/summary", { status: 200, body: summary });
    fake.on("GET", "/tasks", { status: 200, body: { items: [], next_cursor: null } });
    const shown = await render(<App api={api} />);
    await until(() => shown.querySelector('select[name="period"]') !== null, "the dashboard");
    const period = shown.querySelector<HTMLSelectElement>('select[name="period"]')!;
    await act(async () => {
      Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value")?.set?.call(period, "90d");
      period.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await settle();
    const [, ninety] = fake.requests("GET", "/stats/summary");
    expect(ninety.query.get("from")).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(ninety.query.get("to")).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
