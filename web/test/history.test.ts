import { describe, expect, it } from "vitest";
import { ApiError } from "../src/api";
import { appendPage, changedElsewhere, changedFields, formatWeight, isOverdue, localDay, rangeBounds, replaced, shiftDate, SUMMARY_RANGES, taskQuery, weightUnit, without } from "../src/history";

describe("the ranges the history and the trend ask the API for", () => {
  it("ends a range today and counts today in it", () => {
    expect(rangeBounds("30d", "2026-03-10")).toEqual({ from: "2026-02-09", to: "2026-03-10" });
    expect(rangeBounds("90d", "2026-03-10")).toEqual({ from: "2025-12-11", to: "2026-03-10" });
  });

  it("keeps a year within the API's 366 days, across a leap day", () => {
    const { from, to } = rangeBounds("365d", "2028-03-01");
    expect(from).toBe("2027-03-03");
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
    expect(days).toBe(365);
  });

  it("asks for no bounds for all, and offers all only where the API takes it", () => {
    expect(rangeBounds("all", "2026-03-10")).toEqual({});
    expect(SUMMARY_RANGES.map((range) => range.key)).toEqual(["30d", "90d", "365d"]);
  });

  it("moves dates by calendar days over a month's and a year's end", () => {
    expect(shiftDate("2026-01-01", -1)).toBe("2025-12-31");
    expect(shiftDate("2024-02-28", 1)).toBe("2024-02-29");
  });
});

describe("tasks by status, and which are overdue", () => {
  it("lists all tasks by leaving out the status", () => {
    expect(taskQuery("open")).toEqual({ status: "open" });
    expect(taskQuery("done")).toEqual({ status: "done" });
    expect(taskQuery("all")).toEqual({});
  });

  it("marks an open task due before today, never a done one or one due today", () => {
    expect(isOverdue({ done: false, due_date: "2026-03-09" }, "2026-03-10")).toBe(true);
    expect(isOverdue({ done: false, due_date: "2026-03-10" }, "2026-03-10")).toBe(false);
    expect(isOverdue({ done: true, due_date: "2026-03-01" }, "2026-03-10")).toBe(false);
    expect(isOverdue({ done: false }, "2026-03-10")).toBe(false);
  });
});

describe("paging with the API's cursor while the person edits", () => {
  const shown = { items: [{ id: "a" }, { id: "b" }], next_cursor: "c1" };

  it("appends the next page once and takes its cursor", () => {
    const next = { items: [{ id: "b" }, { id: "c" }], next_cursor: null };
    expect(appendPage(shown, "c1", next)).toEqual({ items: [{ id: "a" }, { id: "b" }, { id: "c" }], next_cursor: null });
  });

  it("drops a page asked for before the list was read again or filtered otherwise", () => {
    const reread = { items: [{ id: "z" }], next_cursor: "c9" };
    expect(appendPage(reread, "c1", { items: [{ id: "c" }], next_cursor: null })).toBe(reread);
    expect(appendPage(undefined, "c1", { items: [{ id: "c" }], next_cursor: null })).toBeUndefined();
  });

  it("replaces an edited entry in place and removes a deleted one", () => {
    const page = { items: [{ id: "a", v: 1 }, { id: "b", v: 1 }], next_cursor: "c1" };
    expect(replaced(page, { id: "b", v: 2 })?.items).toEqual([{ id: "a", v: 1 }, { id: "b", v: 2 }]);
    expect(without(page, "a")).toEqual({ items: [{ id: "b", v: 1 }], next_cursor: "c1" });
  });
});

describe("what the screens say", () => {
  it("explains a stale version (412) and only that", () => {
    expect(changedElsewhere(new ApiError(412, "version_mismatch", "stale"))).toBe(true);
    expect(changedElsewhere(new ApiError(404, "not_found", "gone"))).toBe(false);
    expect(changedElsewhere(new Error("boom"))).toBe(false);
  });

  it("shows a date-time's day in the person's zone and a date as given", () => {
    expect(localDay("2026-03-10", "America/New_York")).toBe("2026-03-10");
    expect(localDay("2026-03-11T02:30:00Z", "America/New_York")).toBe("2026-03-10");
    expect(localDay("2026-03-10T23:30:00Z", "Europe/Berlin")).toBe("2026-03-11");
  });

  it("takes the weight unit from the preferences and rounds for the list", () => {
    expect(weightUnit("imperial")).toBe("lb");
    expect(weightUnit("metric")).toBe("kg");
    expect(formatWeight(180.4, "lb")).toBe("180.4 lb");
    expect(formatWeight(81.828063548, "kg")).toBe("81.8 kg");
    expect(formatWeight(80, "kg")).toBe("80 kg");
  });
});

describe("an edit sends what changed", () => {
  it("names only the fields whose text differs from the entry's", () => {
    const initial = { value: "80", unit: "kg", measured_at: "2026-03-10", note: "" };
    expect(changedFields({ ...initial }, initial)).toEqual([]);
    expect(changedFields({ ...initial, value: "79.5", note: "after the run" }, initial)).toEqual(["value", "note"]);
  });
});
