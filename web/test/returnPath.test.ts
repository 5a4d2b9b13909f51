import { describe, expect, it } from "vitest";
import { isOwnPath } from "../src/auth";

describe("where a sign-in returns to", () => {
  it("is a path of this site, as an e-mailed invitation's link opens it", () => {
    expect(isOwnPath("/business?invite=abc-DEF_123")).toBe(true);
    expect(isOwnPath("/programs")).toBe(true);
  });

  it("is never another site", () => {
    for (const elsewhere of ["//evil.example/x", "/\\evil.example", "https://evil.example", "evil", "", "/\t/evil.example"]) {
      expect(isOwnPath(elsewhere)).toBe(false);
    }
  });
});
