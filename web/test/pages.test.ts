import { describe, expect, it } from "vitest";
import { withItem } from "../src/pages";

describe("a list's page after this client adds to it", () => {
  const page = { items: [{ id: "a" }, { id: "b" }], next_cursor: "next" };

  it("puts the new item first or last and keeps the cursor", () => {
    expect(withItem(page, { id: "c" }, "first")).toEqual({ items: [{ id: "c" }, { id: "a" }, { id: "b" }], next_cursor: "next" });
    expect(withItem(page, { id: "c" }, "last")).toEqual({ items: [{ id: "a" }, { id: "b" }, { id: "c" }], next_cursor: "next" });
  });

  it("holds an item once when the loaded page already has it", () => {
    expect(withItem(page, { id: "b" }, "last").items.map((item) => item.id)).toEqual(["a", "b"]);
    expect(withItem(page, { id: "b" }, "first").items.map((item) => item.id)).toEqual(["b", "a"]);
  });

  it("starts a page when nothing has loaded yet", () => {
    expect(withItem(undefined, { id: "a" }, "first")).toEqual({ items: [{ id: "a" }], next_cursor: null });
  });
});
