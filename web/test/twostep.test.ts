import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Api, ApiError } from "../src/api";
import { confirmBody, confirmErrors, offBody, offErrors, statusText } from "../src/twostep";
import { isolatedKeeper } from "./keeper";

const values = { code: " 123456 ", password: "Correct-Horse-9", current: "654321" };

describe("the two-step card", () => {
  it("says whether two-step sign-in is on", () => {
    expect(statusText(true)).toMatch(/^Two-step sign-in is on/);
    expect(statusText(false)).toBe("Two-step sign-in is off.");
    expect(statusText(undefined)).toMatch(/^Checking/);
  });

  it("asks for the password and the current app's code only while two-step is on", () => {
    expect(confirmErrors(false, { code: "123456", password: "", current: "" })).toEqual({});
    expect(Object.keys(confirmErrors(true, { code: "123456", password: "", current: "12" })).sort()).toEqual(["current", "password"]);
    expect(confirmBody("at", false, values)).toEqual({ access_token: "at", code: "123456" });
    expect(confirmBody("at", true, values)).toEqual({ access_token: "at", code: "123456", password: "Correct-Horse-9", current_code: "654321" });
  });

  it("turns two-step off only with the password and a code", () => {
    expect(Object.keys(offErrors({ code: "12", password: "", current: "" })).sort()).toEqual(["code", "password"]);
    expect(offBody("at", values)).toEqual({ access_token: "at", code: "123456", password: "Correct-Horse-9" });
  });
});

describe("a wrong code is an error beside the field, not a sign-out", () => {
  const store = new Map<string, string>();
  beforeEach(() => {
    vi.stubGlobal("window", { setTimeout: () => 1, clearTimeout: () => undefined });
    vi.stubGlobal("sessionStorage", {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (key: string, value: string) => store.set(key, value),
      removeItem: (key: string) => store.delete(key),
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    store.clear();
  });

  function answering(status: number, code: string, details: Record<string, string[]> = {}) {
    return vi.fn(async (request: Request) => {
      if (request.url.endsWith("/auth/login")) {
        return Response.json({ id_token: "id", access_token: "at", refresh_token: "rt", expires_in: 900, token_type: "Bearer", challenge_name: null, session: null });
      }
      return Response.json({ error: { code, message: "The code is wrong, expired or was used already.", details } }, { status });
    });
  }

  async function signedIn(fetch: ReturnType<typeof answering>) {
    vi.stubGlobal("fetch", fetch);
    const api = new Api("http://api.test", isolatedKeeper());
    const changes: boolean[] = [];
    api.onChange((signedInNow) => changes.push(signedInNow));
    await api.signIn("ann@example.com", "Correct-Horse-9");
    return { api, changes };
  }

  it("keeps the session on a 422 invalid_mfa_code and hands the field its message", async () => {
    const { api, changes } = await signedIn(answering(422, "invalid_mfa_code", { code: ["The code is wrong, expired or was used already."] }));
    const call = api.call((client) => client.DELETE("/auth/mfa/totp", { body: offBody("at", values) }));
    await expect(call).rejects.toMatchObject({ status: 422, code: "invalid_mfa_code", fields: { code: "The code is wrong, expired or was used already." } });
    expect(api.signedIn).toBe(true);
    expect(changes).toEqual([true]);
  });

  it("signs out when the session is really over (401)", async () => {
    const { api, changes } = await signedIn(answering(401, "invalid_session"));
    await expect(api.call((client) => client.GET("/auth/mfa"))).rejects.toBeInstanceOf(ApiError);
    expect(api.signedIn).toBe(false);
    expect(changes).toEqual([true, false]);
  });
});
