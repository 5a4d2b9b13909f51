// @vitest-environment happy-dom
// The two-step card in a DOM: it says whether two-step is on, sets it up with a QR code made in
// the page, and a wrong code is an error beside the field, never a sign-out.

import { beforeEach, describe, expect, it } from "vitest";
import type { Api } from "../../src/api";
import { TwoStepSection } from "../../src/data";
import { FakeApi, button, click, envelope, field, render, signedIn, submit, type } from "./harness";

const WRONG = "The code is wrong, expired or was used already.";
const URI = "otpauth://totp/Stride:person%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Stride";

let fake: FakeApi;
let api: Api;

beforeEach(async () => {
  fake = new FakeApi();
  api = await signedIn(fake);
});

describe("the two-step card", () => {
  it("says two-step is off, and sets it up: a QR code and the key, then the code confirms it", async () => {
    fake.on("GET", "/auth/mfa", { status: 200, body: { enabled: false } });
    fake.on("POST", "/auth/mfa/totp", { status: 200, body: { otpauth_uri: URI, secret: "JBSWY3DPEHPK3PXP" } });
    fake.on("POST", "/auth/mfa/totp/verify", { status: 200, body: { enabled: true } });
    const card = await render(<TwoStepSection api={api} />);
    expect(card.querySelector('[data-testid="mfa-status"]')?.textContent).toBe("Two-step sign-in is off.");

    await click(button(card, "Set up two-step sign-in"));
    expect(fake.requests("POST", "/auth/mfa/totp")[0].body).toEqual({ access_token: "access-token" });
    expect(card.querySelector('[data-testid="totp-secret"]')?.textContent).toBe("JBSWY3DPEHPK3PXP");
    expect(card.querySelector('[aria-label="QR code for your authenticator app"]')).not.toBeNull();

    await type(field(card, "Code from the new app"), "123456");
    await submit(card.querySelector('form[aria-label="Confirm two-step sign-in"]')!);
    expect(fake.requests("POST", "/auth/mfa/totp/verify")[0].body).toEqual({ access_token: "access-token", code: "123456" });
    expect(card.querySelector('[data-testid="mfa-status"]')?.textContent).toMatch(/^Two-step sign-in is on/);
    expect(card.textContent).toContain("your next sign-in asks for a code");
  });

  it("shows a wrong code beside its field and keeps the session", async () => {
    fake.on("GET", "/auth/mfa", { status: 200, body: { enabled: false } });
    fake.on("POST", "/auth/mfa/totp", { status: 200, body: { otpauth_uri: URI, secret: "JBSWY3DPEHPK3PXP" } });
    fake.on("POST", "/auth/mfa/totp/verify", { status: 422, body: envelope("invalid_mfa_code", WRONG, { code: [WRONG] }) });
    const card = await render(<TwoStepSection api={api} />);
    await click(button(card, "Set up two-step sign-in"));
    const code = field(card, "Code from the new app");
    await type(code, "000000");
    await submit(card.querySelector('form[aria-label="Confirm two-step sign-in"]')!);

    expect(card.querySelector('[data-error-for="code"]')?.textContent).toBe(WRONG);
    expect(code.getAttribute("aria-invalid")).toBe("true");
    expect(api.signedIn).toBe(true);
    expect(card.querySelector('[data-testid="mfa-status"]')?.textContent).toBe("Two-step sign-in is off.");
  });

  it("checks the code before asking the API", async () => {
    fake.on("GET", "/auth/mfa", { status: 200, body: { enabled: false } });
    fake.on("POST", "/auth/mfa/totp", { status: 200, body: { otpauth_uri: URI, secret: "JBSWY3DPEHPK3PXP" } });
    const card = await render(<TwoStepSection api={api} />);
    await click(button(card, "Set up two-step sign-in"));
    await type(field(card, "Code from the new app"), "12");
    await submit(card.querySelector('form[aria-label="Confirm two-step sign-in"]')!);
    expect(card.querySelector('[data-error-for="code"]')).not.toBeNull();
    expect(fake.requests("POST", "/auth/mfa/totp/verify")).toHaveLength(0);
  });

  it("says two-step is on, and asks for the password and a current code to turn it off", async () => {
    fake.on("GET", "/auth/mfa", { status: 200, body: { enabled: true } });
    fake.on("DELETE", "/auth/mfa/totp", { status: 200, body: { enabled: false } });
    const card = await render(<TwoStepSection api={api} />);
    expect(card.querySelector('[data-testid="mfa-status"]')?.textContent).toMatch(/^Two-step sign-in is on/);
    const off = card.querySelector<HTMLFormElement>('form[aria-label="Turn two-step sign-in off"]')!;
    await type(field(off, "Your password"), "Correct-Horse-9");
    await type(field(off, "Current code from the app"), "654321");
    await submit(off);
    expect(fake.requests("DELETE", "/auth/mfa/totp")[0].body).toEqual({ access_token: "access-token", code: "654321", password: "Correct-Horse-9" });
    expect(card.querySelector('[data-testid="mfa-status"]')?.textContent).toBe("Two-step sign-in is off.");
  });
});
