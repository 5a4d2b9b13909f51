import { describe, expect, it } from "vitest";
import { emailNotice, inviteCodeFromUrl } from "../src/invitations";

describe("an e-mailed invitation's link", () => {
  it("carries the code the join screen fills in", () => {
    expect(inviteCodeFromUrl("?invite=abc-DEF_123")).toBe("abc-DEF_123");
    expect(inviteCodeFromUrl("?other=1")).toBe("");
    expect(inviteCodeFromUrl("")).toBe("");
  });
});

describe("what the admin is told about the e-mail", () => {
  it("says it went, or why not and that the code still works", () => {
    expect(emailNotice("sent", "a@example.com")).toEqual({ tone: "info", text: expect.stringContaining("e-mailed to a@example.com") });
    for (const status of ["suppressed", "rejected", "failed", "not_configured"] as const) {
      const notice = emailNotice(status, "a@example.com");
      expect(notice?.tone).toBe("error");
      expect(notice?.text).toContain("code below");
    }
    expect(emailNotice("suppressed", "a@example.com")?.text).toContain("bounced");
    expect(emailNotice("not_requested", "a@example.com")).toBeUndefined();
  });
});
