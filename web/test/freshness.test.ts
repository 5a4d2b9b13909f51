import { describe, expect, it } from "vitest";
import { Freshness } from "../src/freshness";

describe("an older answer never overwrites a newer one", () => {
  it("shows the answer of the only read", () => {
    const fresh = new Freshness();
    expect(fresh.verdict(fresh.begin())).toBe("show");
  });

  it("drops an answer when a later read started: that one answers", () => {
    const fresh = new Freshness();
    const first = fresh.begin();
    const second = fresh.begin();
    expect(fresh.verdict(first)).toBe("superseded");
    expect(fresh.verdict(second)).toBe("show");
  });

  it("reads again when the screen changed while the read was on its way", () => {
    const fresh = new Freshness();
    const read = fresh.begin();
    fresh.edited();
    expect(fresh.verdict(read)).toBe("again");
    expect(fresh.verdict(fresh.begin())).toBe("show");
  });

  it("shows an answer asked for after the change", () => {
    const fresh = new Freshness();
    fresh.edited();
    expect(fresh.verdict(fresh.begin())).toBe("show");
  });
});
