import { describe, expect, it } from "vitest";
import { currentWeek } from "../src/programs";

describe("a program's open week", () => {
  const week = (number: number, done: boolean[]) => ({ number, sessions: done.map((d) => ({ completed_at: d ? "2026-12-01T10:00:00Z" : null })) });

  it("is the first week with a session left, then the last once all are done", () => {
    expect(currentWeek({ weeks: [week(1, [true, true]), week(2, [true, false]), week(3, [false])] })).toBe(2);
    expect(currentWeek({ weeks: [week(1, [false, true]), week(2, [false])] })).toBe(1);
    expect(currentWeek({ weeks: [week(1, [true]), week(2, [true])] })).toBe(2);
    expect(currentWeek({ weeks: [] })).toBeUndefined();
  });
});
