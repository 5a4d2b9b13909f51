// @vitest-environment happy-dom
// The history screen's logic in a DOM: paging with the API's cursor, and a refused edit (412)
// explained with a reload, not a bare error.

import { beforeEach, describe, expect, it } from "vitest";
import type { Api } from "../../src/api";
import { CHANGED_ELSEWHERE } from "../../src/history";
import { HistoryPage } from "../../src/historyScreen";
import type { Preferences } from "../../src/types";
import { FakeApi, button, click, envelope, field, render, signedIn, submit, type } from "./harness";

const preferences = {
  timezone: "America/New_York",
  units: "metric",
  weekly_workout_goal: 3,
  week_starts_on: "monday",
  updated_at: null,
} as unknown as Preferences;

function weight(n: number, version = 1) {
  const day = `2026-01-${String(31 - n).padStart(2, "0")}`;
  return {
    id: `w${n}`,
    version,
    measured_at: `${day}T12:00:00Z`,
    created_at: `${day}T12:00:00Z`,
    updated_at: `${day}T12:00:00Z`,
    weight: { value: 70 + n / 10, unit: "kg" },
    weight_kg: 70 + n / 10,
  };
}

let fake: FakeApi;
let api: Api;

beforeEach(async () => {
  fake = new FakeApi();
  api = await signedIn(fake);
});

describe("the weight history", () => {
  it("pages with the API's cursor: Load more asks for the next page and adds it below", async () => {
    fake.on("GET", "/weights", (request) =>
      request.query.get("cursor") === "page-2"
        ? { status: 200, body: { items: [weight(3)], next_cursor: null } }
        : { status: 200, body: { items: [weight(1), weight(2)], next_cursor: "page-2" } },
    );
    const screen = await render(<HistoryPage api={api} preferences={preferences} path="/history/weights" />);
    expect(screen.querySelectorAll('[data-testid="entry"]')).toHaveLength(2);
    const [first] = fake.requests("GET", "/weights");
    expect(first.query.get("cursor")).toBeNull();
    expect(first.query.get("limit")).toBe("20");
    expect(first.headers.get("Authorization")).toBe("Bearer id-token");

    await click(button(screen, "Load more weights"));

    const [, second] = fake.requests("GET", "/weights");
    expect(second.query.get("cursor")).toBe("page-2");
    expect(second.query.get("from")).toBe(first.query.get("from")); // the same range, its next page
    const entries = [...screen.querySelectorAll('[data-testid="entry"]')].map((entry) => entry.textContent);
    expect(entries).toHaveLength(3);
    expect(entries[2]).toContain("70.3");
    expect(screen.textContent).not.toContain("Load more"); // no cursor: the last page
  });

  it("says so when there is nothing in the range", async () => {
    fake.on("GET", "/weights", { status: 200, body: { items: [], next_cursor: null } });
    const screen = await render(<HistoryPage api={api} preferences={preferences} path="/history/weights" />);
    expect(screen.textContent).toContain("No weights here.");
  });

  it("explains a 412 (changed elsewhere) with a reload that shows what is stored now", async () => {
    let stored = weight(1);
    fake.on("GET", "/weights", () => ({ status: 200, body: { items: [stored], next_cursor: null } }));
    fake.on("PATCH", "/weights/w1", {
      status: 412,
      body: envelope("version_mismatch", "The item changed since version 1."),
    });
    const screen = await render(<HistoryPage api={api} preferences={preferences} path="/history/weights" />);

    await click(button(screen, /^Edit/));
    await type(field(screen, "Weight"), "71.5");
    await submit(screen.querySelector("form")!);

    const [patch] = fake.requests("PATCH", "/weights/w1");
    expect(patch.headers.get("If-Match")).toBe("1");
    expect(patch.body).toMatchObject({ weight: { value: 71.5, unit: "kg" } });
    const alert = screen.querySelector(".conflict");
    expect(alert?.getAttribute("role")).toBe("alert");
    expect(alert?.textContent).toContain(CHANGED_ELSEWHERE);
    expect(api.signedIn).toBe(true);

    stored = weight(1, 2); // what another tab saved meanwhile
    await click(button(alert as HTMLElement, /^Reload/));
    expect(fake.requests("GET", "/weights")).toHaveLength(2);
    expect(screen.querySelector(".conflict")).toBeNull();
    expect(screen.querySelector("form")).toBeNull(); // back to the entry as stored, version 2
  });
});
